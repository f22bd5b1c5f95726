"""The letter each grant sends (event ``proactive_award``) through the notifications outbox.

A day's few hundred grants go through `notification_queue`, one call per grant (the outbox's
own service: message rows and delivery tasks in this transaction). A full run's tens of thousands
are written set-based (`meis.notifications.services.bulk`) — the same rows `notification_queue` writes
(rendered from the same template version, the same dedupe key; a time-ordered public id),
status "queued" without a task: the outbox sweep (`notifications.outbox_sweep`) enqueues them at its pace. The dedupe key is per
award (and addressee), so a resumed chunk or a second run never sends a second letter.

A child's award (`Source.is_for_a_child`) stays the child's, but its letter (event
``proactive_award_child``) goes to the people who act for the child, since a child's own inbox is
read by nobody:

- each living parent the birth record links (mother, father): the child's legal
  representatives, whether or not they live with the child (the registry does not record a
  deprivation of parental rights);
- failing both, one adult of the child's current household — its head if an adult, else the
  eldest adult — as the person most likely caring for the child (a guardian is not recorded);
  one, not every adult, so that a lodger or an adult sibling is not told of a child's disability;
- failing that, the child, with the ordinary letter (counted as `letter_to_child_only`).

A parent cannot open the child's award at /my/awards/ (a citizen sees only their own awards), so
that letter links to no page: it says to call 142.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from meis.awards.models import AwardKind
from meis.core import bulk
from meis.notifications.events import event_get
from meis.notifications.models import Channel, Message
from meis.notifications.services import notification_queue
from meis.notifications.services.bulk import messages_frame, recipients_by_channel
from meis.proactive.sources import (
    ADDRESSEE_SCHEMA,
    HOUSEHOLD_SCHEMA,
    HOUSEHOLD_SQL,
    PARENTS_SQL,
    Source,
)
from meis.registry.models import Person
from meis.rules.explain import format_date, format_money

EVENT = "proactive_award"
CHILD_EVENT = "proactive_award_child"
ONE_BY_ONE_LIMIT = 200
ADULT_YEARS = 18
# The paying bank and branch come from the payments app, which sits above this one in the layers:
# it registers a resolver at start-up (`meis.payments.apps`). Given a frame with a `person_id`
# column (the awards' recipients), a resolver returns `person_id` and `bank_branch` ("Bank,
# Branch") for those with a current payment account, read set-based (one query per chunk).
BankBranchResolver = Callable[[pl.Series], pl.DataFrame]
_bank_branch_resolvers: list[BankBranchResolver] = []
# Said when no account is recorded yet (a card is ordered for such recipients).
BANK_BRANCH_PENDING = gettext_noop(
    "to be named when your payment account or card is ready (see My payments)"
)


def bank_branch_resolver_register(resolver: BankBranchResolver) -> None:
    """Let `resolver` name the paying bank and branch in award letters (the last one wins)."""
    _bank_branch_resolvers[:] = [resolver]


def _bank_branches(frame: pl.DataFrame, payee: str) -> pl.Expr:
    """`bank_branch` of each row: its payee's bank and branch, else the pending sentence in the
    row's language."""
    pending = {}
    for lang in _LANGUAGES:
        with translation.override(lang):
            pending[lang] = translation.gettext(BANK_BRANCH_PENDING)
    fallback = pl.col("language").replace_strict(pending, return_dtype=pl.String)
    if not _bank_branch_resolvers:
        return fallback
    names = _bank_branch_resolvers[0](frame[payee].unique())
    mapping = dict(zip(names["person_id"].to_list(), names["bank_branch"].to_list(), strict=True))
    if not mapping:
        return fallback
    known = pl.col(payee).replace_strict(mapping, default=None, return_dtype=pl.String)
    return pl.coalesce(known, fallback)


def dedupe_key(award_id: int) -> str:
    return f"award:{award_id}"


def child_dedupe_key(award_id: int, addressee_id: int) -> str:
    """A child's award's letter to one addressee (a parent writes one per parent)."""
    return f"award:{award_id}:to:{addressee_id}"


@dataclass(frozen=True)
class Letters:
    messages: int  # message rows written (one per channel)
    to_child_only: int  # a child's grants whose letter found no parent or adult to go to
    # The parents and adults written to besides the granted people (for `references_verify`).
    addressees: pl.Series = field(default_factory=lambda: pl.Series("person_id", [], pl.Int64))


def letters_queue(
    *,
    source: Source,
    granted: pl.DataFrame,
    one_by_one_limit: int | None = None,
    on: datetime.date | None = None,
) -> Letters:
    """Queue the letters of the granted rows (`on`: the day adulthood is judged on)."""
    limit = ONE_BY_ONE_LIMIT if one_by_one_limit is None else one_by_one_limit
    if granted.height == 0:
        return Letters(0, 0)
    own, addressees = granted, Letters(0, 0).addressees
    frames: list[tuple[str, pl.DataFrame]] = []
    if source.is_for_a_child:
        addressed = addressees_join(granted, on=on or timezone.localdate())
        own = granted.filter(~pl.col("award_id").is_in(addressed["award_id"].implode()))
        addressees = addressed["person_id"].unique()
        frames.append((CHILD_EVENT, letter_frame(source, addressed, event=CHILD_EVENT)))
    frames.append((EVENT, letter_frame(source, own, event=EVENT)))
    written = 0
    for event, frame in frames:
        if frame.height == 0:
            continue
        if frame.height <= limit:
            written += _one_by_one(event, frame)
        else:
            written += _set_based(event, frame)
    return Letters(written, own.height if source.is_for_a_child else 0, addressees)


def addressees_join(granted: pl.DataFrame, *, on: datetime.date) -> pl.DataFrame:
    """One row per (child's grant, addressee): the grant's columns, the addressee's contacts.

    The child's name moves to `child_first_name`/`child_last_name`; `person_id`, names and
    contacts are the addressee's.
    """
    children = granted["person_id"].unique().to_list()
    parents = bulk.frame_read_ids(PARENTS_SQL, children, ADDRESSEE_SCHEMA).unique(
        ["child_id", "person_id"]
    )
    with_parents = set(parents["child_id"].to_list())
    without_parents = [c for c in children if c not in with_parents]
    adults = bulk.frame_read_ids(HOUSEHOLD_SQL, without_parents, HOUSEHOLD_SCHEMA)
    adult = (
        adults.filter(pl.col("birth_on") <= _years_before(on, ADULT_YEARS))
        .sort(
            ["child_id", "is_head", "birth_on", "person_id"], descending=[False, True, False, False]
        )
        .unique("child_id", keep="first", maintain_order=True)
        .select(list(ADDRESSEE_SCHEMA))
    )
    addressees = pl.concat([parents, adult], how="vertical")
    grants = granted.select(
        "award_id",
        "amount_qepik",
        "start_on",
        child_id="person_id",
        child_first_name="first_name",
        child_last_name="last_name",
    )
    return grants.join(addressees, on="child_id", how="inner")


def _years_before(on: datetime.date, years: int) -> datetime.date:
    """The latest birth date of a person `years` old on `on` (29 February: the 28th)."""
    day = 28 if (on.month, on.day) == (2, 29) else on.day
    return on.replace(year=on.year - years, day=day)


def _channels(phone: str | None, email: str | None) -> list[str]:
    channels = [Channel.PORTAL.value]
    if phone:
        channels.append(Channel.SMS.value)
    if email:
        channels.append(Channel.EMAIL.value)
    return channels


def _one_by_one(event: str, frame: pl.DataFrame) -> int:
    """`notification_queue` per row of a `letter_frame`, its context the event's columns."""
    fields = sorted(event_get(event).fields)
    people = Person.objects.in_bulk(frame["person_id"].unique().to_list())
    written = 0
    for row in frame.iter_rows(named=True):
        messages = notification_queue(
            person=people[row["person_id"]],
            event=event,
            context={field: row[field] for field in fields},
            channel_preferences=_channels(row["verified_phone"], row["verified_email"]),
            dedupe_key=row["dedupe_key"],
            case_reference=row["case_reference"],
        )
        written += len(messages)
    return written


def _set_based(event: str, frame: pl.DataFrame) -> int:
    """The letters as one frame (rendered in Polars) and one COPY.

    The awards were inserted in this transaction, so their dedupe keys are new: no conflict to
    skip, the rows go straight into the table.
    """
    recipients = recipients_by_channel(frame, _CHANNELS)
    messages = messages_frame(event=event, recipients=recipients)
    bulk.frame_write(Message._meta.db_table, messages)
    return messages.height


_CHANNELS = (Channel.PORTAL.value, Channel.SMS.value, Channel.EMAIL.value)
_LANGUAGES = ("az", "en", "ru")


def letter_frame(source: Source, granted: pl.DataFrame, *, event: str = EVENT) -> pl.DataFrame:
    """The letters' context as columns (plus the recipient columns), one row per letter.

    For `CHILD_EVENT`, `granted` is an `addressees_join`: the letter is the addressee's, about
    the child.
    """
    language = (
        pl.when(pl.col("preferred_language").is_in(_LANGUAGES))
        .then(pl.col("preferred_language"))
        .otherwise(pl.lit("az"))
    )
    award = pl.col("award_id").cast(pl.String)
    if event == CHILD_EVENT:
        key = pl.lit("award:") + award + pl.lit(":to:") + pl.col("person_id").cast(pl.String)
        extra = {
            "child_name": pl.concat_str(
                pl.col("child_first_name"), pl.col("child_last_name"), separator=" "
            )
        }
    else:
        key = pl.lit("award:") + award
        extra = {}
    frame = granted.select(
        "person_id",
        "verified_phone",
        "verified_email",
        "amount_qepik",
        "start_on",
        language=language,
        name=pl.concat_str(pl.col("first_name"), pl.col("last_name"), separator=" "),
        dedupe_key=key,
        case_reference=pl.lit("award-") + award,
        **extra,
    )
    if frame.height == 0:
        return frame
    # A child's award is paid to the child's account: its bank is named, not the parent's.
    payee = "person_id"
    if event == CHILD_EVENT:
        frame = frame.with_columns(payee_id=granted["child_id"])
        payee = "payee_id"
    award_names = {}
    for lang in _LANGUAGES:
        with translation.override(lang):
            award_names[lang] = str(AwardKind(source.kind).label)
    columns = {
        "award_name": pl.col("language").replace_strict(award_names, return_dtype=pl.String),
        "amount": _formatted(frame, "amount_qepik", format_money),
        "start_on": _formatted(frame, "start_on", format_date),
        "bank_branch": _bank_branches(frame, payee),
        "portal_url": pl.lit("/") + pl.col("language") + pl.lit("/my/awards/"),
    }
    fields = event_get(event).fields
    frame = frame.with_columns(**{name: expr for name, expr in columns.items() if name in fields})
    return frame.drop("payee_id", strict=False)


def _formatted(frame: pl.DataFrame, column: str, format_one: Callable[[Any, str], str]) -> pl.Expr:
    """Format each distinct (value, language) once in Python, and map the column through it."""
    distinct = frame.select(column, "language").unique()
    texts = [format_one(value, lang) for value, lang in distinct.iter_rows()]
    keys = distinct.select(key=pl.concat_str(pl.col(column).cast(pl.String), "language"))["key"]
    mapping = dict(zip(keys, texts, strict=True))
    key = pl.concat_str(pl.col(column).cast(pl.String), pl.col("language"))
    return key.replace_strict(mapping, return_dtype=pl.String)
