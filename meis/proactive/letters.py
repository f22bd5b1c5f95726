"""The letter each grant sends (event ``proactive_award``) through the notifications outbox.

A day's few hundred grants go through `notification_queue`, one call per grant (the outbox's
own service: message rows and delivery tasks in this transaction). A full run's tens of thousands
are written set-based — the same rows `notification_queue` writes (rendered from the same
template version, the same dedupe key and public id), status "queued" without a task: the
outbox sweep (`notifications.outbox_sweep`) enqueues them at its pace. The dedupe key is per
award, so a resumed chunk or a second run never sends a second letter.
"""

from __future__ import annotations

import uuid
from typing import Any

import polars as pl
from django.db import connection
from django.utils import timezone, translation

from meis.awards.models import AwardKind
from meis.notifications.models import Channel, Message, Status
from meis.notifications.placeholders import html_from_text, render_text
from meis.notifications.selectors import template_current
from meis.notifications.services import _PUBLIC_ID_NAMESPACE, notification_queue
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
    now = timezone.now()
    stamp = now.isoformat() if bulk.is_postgresql() else now.replace(tzinfo=None).isoformat(" ")
    templates = {lang: template_current(event=EVENT, language=lang) for lang in ("az", "en", "ru")}
    rows: list[dict[str, object]] = []
    for row in granted.iter_rows(named=True):
        lang = row["preferred_language"] if row["preferred_language"] in templates else "az"
        template = templates[lang]
        context = letter_context(
            name=f"{row['first_name']} {row['last_name']}",
            kind=source.kind,
            amount_qepik=row["amount_qepik"],
            start_on=row["start_on"],
            language=lang,
        )
        key = dedupe_key(row["award_id"])
        for channel in _channels(row["verified_phone"], row["verified_email"]):
            is_portal = channel == Channel.PORTAL
            rows.append(
                {
                    "public_id": str(uuid.uuid5(_PUBLIC_ID_NAMESPACE, f"{channel}:{key}")),
                    "person_id": row["person_id"],
                    "channel": channel,
                    "event": EVENT,
                    "language": template.language,
                    "template_id": template.pk,
                    "recipient": {
                        Channel.SMS.value: row["verified_phone"],
                        Channel.EMAIL.value: row["verified_email"],
                    }.get(channel, ""),
                    "is_contact_verification": False,
                    "subject": ""
                    if channel == Channel.SMS
                    else render_text(template.email_subject, context)[:255],
                    "body_text": render_text(template.sms_text, context)
                    if channel == Channel.SMS
                    else render_text(template.email_text, context),
                    "body_html": html_from_text(template.email_text, context)
                    if channel == Channel.EMAIL
                    else "",
                    "case_reference": f"award-{row['award_id']}",
                    "dedupe_key": key,
                    "status": Status.DELIVERED.value if is_portal else Status.QUEUED.value,
                    "attempts": 0,
                    "next_attempt_at": stamp,
                    "sent_at": stamp if is_portal else None,
                    "delivered_at": stamp if is_portal else None,
                    "last_error": "",
                    "provider_reference": "",
                    "resend_count": 0,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
    frame = pl.DataFrame(rows, infer_schema_length=None)
    if connection.vendor == "sqlite":
        frame = frame.with_columns(pl.col("is_contact_verification").cast(pl.Int8))
    inserted = bulk.frame_insert_ignoring_conflicts(
        Message._meta.db_table, frame, returning=("id",)
    )
    return inserted.height
