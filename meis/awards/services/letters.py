"""The letters of an award's life after its grant: its end and the renewal reminder (set-based,
from the daily job), its suspension and resumption (one by one, from the officer's action).

The daily job's letters are frames: one row per letter with the event's context as columns,
rendered by `meis.notifications.services.bulk.messages_frame` and written in one COPY, as a
proactive full run writes its grant letters (`meis.proactive.services.letters`). Every letter
links to the award's page; the reminder links to the application form, which opens pre-filled
from the family's last application (`meis.cases.services.drafts.draft_prefill_from_last_case`).

Nothing goes to a person the registry records as dead. A minor's award that ends (the
disabled-child benefit ended at re-examination) is told to the living parents the birth record
names (event `award_ended_child`); a child without a recorded parent gets the ordinary letter.
An award ended at re-examination says why: the re-examination did not take place within the
grace period after its date (`disability.reexamination_grace_months`, docs/domain.md §4).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

import polars as pl
from django.utils import translation
from django.utils.translation import gettext as _

from meis.awards.models import SERVICE_CODES, Award, AwardEndReason, AwardKind
from meis.awards.selectors.recipients import contacts_read, parents_read
from meis.core import bulk
from meis.notifications.events import EventCode
from meis.notifications.models import Channel, Message
from meis.notifications.services import notification_queue
from meis.notifications.services.bulk import messages_frame, recipients_by_channel
from meis.rules.explain import format_date
from meis.rules.store import default_store

LANGUAGES = ("az", "en", "ru")
CHANNELS = (Channel.PORTAL.value, Channel.SMS.value, Channel.EMAIL.value)
CHILD_AGE_LIMIT = "social_benefits.child_age_limit"


def ended_letters_write(ended: pl.DataFrame, *, on: datetime.date) -> int:
    """The letters of awards the daily job ended (`award_id`, `person_id`, `kind`, `end_on`,
    `end_reason`); returns how many message rows were written."""
    if ended.height == 0:
        return 0
    people = contacts_read(ended["person_id"].unique().to_list())
    rows = ended.join(people, on="person_id", how="inner").filter(pl.col("died_on").is_null())
    is_minor = (pl.col("kind") == AwardKind.DISABLED_CHILD_BENEFIT) & (
        pl.col("person_birth_on") > _adult_born_by(on)
    )
    minors = rows.filter(is_minor)
    parents = parents_read(minors["person_id"].unique().to_list())
    to_parents = minors.select(
        "award_id",
        "kind",
        "end_on",
        "end_reason",
        child_id="person_id",
        child_name=_full_name(),
    ).join(parents, on="child_id", how="inner")
    own = rows.filter(~is_minor | ~pl.col("person_id").is_in(parents["child_id"].implode()))
    written = _write(EventCode.AWARD_ENDED, _letters(own, key="ended"))
    child_letters = _letters(to_parents, key="ended", per_addressee=True)
    return written + _write(EventCode.AWARD_ENDED_CHILD, child_letters)


def reminder_letters_write(reminded: pl.DataFrame, *, on: datetime.date) -> int:
    """The renewal reminders (`award_id`, `person_id`, `kind`, `end_on`) to living people."""
    if reminded.height == 0:
        return 0
    people = contacts_read(reminded["person_id"].unique().to_list())
    rows = reminded.join(people, on="person_id", how="inner").filter(pl.col("died_on").is_null())
    letters = _letters(rows, key="renewal").with_columns(
        renew_url=pl.lit("/") + pl.col("language") + pl.lit(f"/apply/{_renewal_service(rows)}/")
    )
    return _write(EventCode.AWARD_RENEWAL_REMINDER, letters)


def _renewal_service(rows: pl.DataFrame) -> str:
    """The e-service a renewal applies to (one renewable kind today: targeted assistance)."""
    kinds = set(rows["kind"].to_list())
    if len(kinds) != 1:
        raise ValueError(f"one renewable kind per reminder batch, got {sorted(kinds)}")
    return SERVICE_CODES[AwardKind(kinds.pop())]


def _adult_born_by(on: datetime.date) -> datetime.date:
    """The latest birth date of a person who is of age on `on` (29 February: the 28th)."""
    years = int(str(default_store().value(CHILD_AGE_LIMIT, on=on))) // 12
    day = 28 if (on.month, on.day) == (2, 29) else on.day
    return on.replace(year=on.year - years, day=day)


def _full_name() -> pl.Expr:
    return pl.concat_str(pl.col("first_name"), pl.col("last_name"), separator=" ")


def _letters(rows: pl.DataFrame, *, key: str, per_addressee: bool = False) -> pl.DataFrame:
    """The recipients' columns and the event's context, one row per letter (before channels)."""
    language = (
        pl.when(pl.col("preferred_language").is_in(LANGUAGES))
        .then(pl.col("preferred_language"))
        .otherwise(pl.lit("az"))
    )
    award = pl.col("award_id").cast(pl.String)
    dedupe = pl.lit("award:") + award + pl.lit(f":{key}")
    if per_addressee:
        dedupe = dedupe + pl.lit(":to:") + pl.col("person_id").cast(pl.String)
    frame = rows.with_columns(
        language=language,
        name=_full_name(),
        dedupe_key=dedupe,
        case_reference=pl.lit("award-") + award,
    )
    if frame.height == 0:
        return frame
    frame = frame.with_columns(
        award_name=_each(frame, "kind", lambda kind, _: str(AwardKind(kind).label)),
        end_on=_each(frame, "end_on", format_date),
        portal_url=pl.lit("/") + pl.col("language") + pl.lit("/my/awards/") + award + pl.lit("/"),
    )
    if "end_reason" in frame.columns:
        frame = frame.with_columns(
            reason=_each(frame, "end_reason", lambda r, _language: _reason_text(r))
        )
    return frame


def _reason_text(reason: str) -> str:
    """Why the award ended, in the letter's words (the active language)."""
    if reason == AwardEndReason.REEXAMINATION:
        return _(
            "the disability re-examination did not take place within the grace period "
            "after its date"
        )
    return str(AwardEndReason(reason).label).lower()


def _each(frame: pl.DataFrame, column: str, text: Callable[[Any, str], str]) -> pl.Expr:
    """`column` turned into text in each row's language: each distinct (value, language) once."""
    distinct = frame.select(column, "language").unique()
    mapping: dict[str, str] = {}
    for value, language in distinct.iter_rows():
        with translation.override(language):
            mapping[f"{value}|{language}"] = text(value, language)
    key = pl.concat_str(pl.col(column).cast(pl.String), pl.lit("|"), pl.col("language"))
    return key.replace_strict(mapping, return_dtype=pl.String)


def _write(event: str, letters: pl.DataFrame) -> int:
    if letters.height == 0:
        return 0
    recipients = recipients_by_channel(letters, CHANNELS)
    messages = messages_frame(event=event, recipients=recipients)
    bulk.frame_write(Message._meta.db_table, messages)
    return messages.height


# -- one by one: a suspension and a resumption --------------------------------------------------


def award_letter_queue(
    *, award: Award, event: str, on: datetime.date, reason: str, dedupe_key: str
) -> None:
    """Tell the award's person of a suspension or resumption (in the caller's transaction)."""
    person = award.person
    if person.died_on is not None:
        return
    language = person.preferred_language if person.preferred_language in LANGUAGES else "az"
    with translation.override(language):
        award_name = str(AwardKind(award.kind).label)
    day_field = "suspended_on" if event == EventCode.AWARD_SUSPENDED else "resumed_on"
    notification_queue(
        person=person,
        event=event,
        context={
            "name": f"{person.first_name} {person.last_name}",
            "award_name": award_name,
            day_field: format_date(on, language),
            "reason": reason,
            "portal_url": f"/{language}/my/awards/{award.pk}/",
        },
        channel_preferences=list(_channels(person.verified_phone, person.verified_email)),
        dedupe_key=dedupe_key,
        case_reference=f"award-{award.pk}",
    )


def _channels(phone: str | None, email: str | None) -> Iterable[str]:
    yield Channel.PORTAL.value
    if phone:
        yield Channel.SMS.value
    if email:
        yield Channel.EMAIL.value
