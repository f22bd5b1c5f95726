"""The letter each grant sends (event ``proactive_award``) through the notifications outbox.

A day's few hundred grants go through `notification_queue`, one call per grant (the outbox's
own service: message rows and delivery tasks in this transaction). A full run's tens of thousands
are written set-based (`meis.notifications.bulk`) — the same rows `notification_queue` writes
(rendered from the same template version, the same dedupe key; a time-ordered public id),
status "queued" without a task: the outbox sweep (`notifications.outbox_sweep`) enqueues them at its pace. The dedupe key is per
award, so a resumed chunk or a second run never sends a second letter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from django.utils import translation

from meis.awards.models import AwardKind
from meis.notifications.bulk import messages_frame, recipients_by_channel
from meis.notifications.models import Channel, Message
from meis.notifications.services import notification_queue
from meis.proactive import bulk
from meis.proactive.sources import Source
from meis.registry.models import Person
from meis.rules.explain import format_date, format_money

EVENT = "proactive_award"
ONE_BY_ONE_LIMIT = 200
# The paying bank branch is chosen by the payments subsystem (not built yet): a placeholder.
BANK_BRANCH = "Kapital Bank"


def dedupe_key(award_id: int) -> str:
    return f"award:{award_id}"


def letter_context(
    *, name: str, kind: str, amount_qepik: int, start_on: Any, language: str
) -> dict[str, object]:
    lang = language if language in ("az", "en", "ru") else "az"
    with translation.override(lang):
        award_name = str(AwardKind(kind).label)
    return {
        "name": name,
        "award_name": award_name,
        "amount": format_money(int(amount_qepik), lang),
        "start_on": format_date(start_on, lang),
        "portal_url": f"/{lang}/my/awards/",
        "bank_branch": BANK_BRANCH,
    }


def letters_queue(
    *, source: Source, granted: pl.DataFrame, one_by_one_limit: int | None = None
) -> int:
    """Queue the letters of the granted rows; returns the number of message rows written."""
    limit = ONE_BY_ONE_LIMIT if one_by_one_limit is None else one_by_one_limit
    if granted.height == 0:
        return 0
    if granted.height <= limit:
        return _one_by_one(source, granted)
    return _set_based(source, granted)


def _channels(phone: str | None, email: str | None) -> list[str]:
    channels = [Channel.PORTAL.value]
    if phone:
        channels.append(Channel.SMS.value)
    if email:
        channels.append(Channel.EMAIL.value)
    return channels


def _one_by_one(source: Source, granted: pl.DataFrame) -> int:
    people = Person.objects.in_bulk(granted["person_id"].to_list())
    written = 0
    for row in granted.iter_rows(named=True):
        person = people[row["person_id"]]
        context = letter_context(
            name=f"{row['first_name']} {row['last_name']}",
            kind=source.kind,
            amount_qepik=row["amount_qepik"],
            start_on=row["start_on"],
            language=row["preferred_language"],
        )
        messages = notification_queue(
            person=person,
            event=EVENT,
            context=context,
            channel_preferences=_channels(row["verified_phone"], row["verified_email"]),
            dedupe_key=dedupe_key(row["award_id"]),
            case_reference=f"award-{row['award_id']}",
        )
        written += len(messages)
    return written


def _set_based(source: Source, granted: pl.DataFrame) -> int:
    """The letters as one frame (rendered in Polars) and one COPY.

    The awards were inserted in this transaction, so their dedupe keys are new: no conflict to
    skip, the rows go straight into the table.
    """
    recipients = recipients_by_channel(letter_frame(source, granted), _CHANNELS)
    frame = messages_frame(event=EVENT, recipients=recipients)
    bulk.frame_write(Message._meta.db_table, frame)
    return frame.height


_CHANNELS = (Channel.PORTAL.value, Channel.SMS.value, Channel.EMAIL.value)
_LANGUAGES = ("az", "en", "ru")


def letter_frame(source: Source, granted: pl.DataFrame) -> pl.DataFrame:
    """`letter_context` of every granted row, as columns (plus the recipient columns)."""
    language = (
        pl.when(pl.col("preferred_language").is_in(_LANGUAGES))
        .then(pl.col("preferred_language"))
        .otherwise(pl.lit("az"))
    )
    frame = granted.select(
        "person_id",
        "verified_phone",
        "verified_email",
        "amount_qepik",
        "start_on",
        language=language,
        name=pl.concat_str(pl.col("first_name"), pl.col("last_name"), separator=" "),
        dedupe_key=pl.lit("award:") + pl.col("award_id").cast(pl.String),
        case_reference=pl.lit("award-") + pl.col("award_id").cast(pl.String),
    )
    award_names = {}
    for lang in _LANGUAGES:
        with translation.override(lang):
            award_names[lang] = str(AwardKind(source.kind).label)
    return frame.with_columns(
        award_name=pl.col("language").replace_strict(award_names),
        amount=_formatted(frame, "amount_qepik", format_money),
        start_on=_formatted(frame, "start_on", format_date),
        portal_url=pl.lit("/") + pl.col("language") + pl.lit("/my/awards/"),
        bank_branch=pl.lit(BANK_BRANCH),
    )


def _formatted(frame: pl.DataFrame, column: str, format_one: Callable[[Any, str], str]) -> pl.Expr:
    """Format each distinct (value, language) once in Python, and map the column through it."""
    distinct = frame.select(column, "language").unique()
    texts = [format_one(value, lang) for value, lang in distinct.iter_rows()]
    keys = distinct.select(key=pl.concat_str(pl.col(column).cast(pl.String), "language"))["key"]
    mapping = dict(zip(keys, texts, strict=True))
    key = pl.concat_str(pl.col(column).cast(pl.String), pl.col("language"))
    return key.replace_strict(mapping, return_dtype=pl.String)
