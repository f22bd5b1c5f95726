"""Set-based queueing: the rows `notification_queue` writes, for a frame of recipients at once.

A proactive full run grants tens of thousands of awards per transaction; rendering each letter
through `notification_queue` (a Python call, a template look-up and a savepoint per message)
would take longer than deciding them. `messages_frame` renders the same rows — the same template
version, subject, text, HTML and dedupe key — as Polars columns: each template is cut at its
((placeholders)) once, and a message body is the concatenation of the literal pieces with the
context columns (escaped in HTML as `render_html` and `html_from_text` escape them).

One difference: the public id. `notification_queue` derives it from the dedupe key (uuid5),
because it names the delivery task written before the message. These messages have no task yet,
so they get time-ordered UUIDs (version 7): the unique index on public ids takes a batch at its
right edge instead of at a million random places (a third less time writing a full run's
letters at 10 million people). The dedupe key still makes a letter unique per award.

The caller writes the frame in its own transaction (COPY). Messages to a channel are written
"queued" with no delivery task: the outbox sweep (`notifications.outbox_sweep`) enqueues them at
its pace. Portal messages are delivered on writing; a channel without a recipient fails at once,
as in `notification_queue`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import numpy as np
import polars as pl
from django.utils import timezone
from django.utils.html import linebreaks

from meis.core.addresses import public_base_url
from meis.notifications.events import event_get
from meis.notifications.models import Channel, Status, Template
from meis.notifications.placeholders import PLACEHOLDER, is_link
from meis.notifications.selectors import template_current

# The columns a recipients frame has besides the event's context fields (all strings but the id).
RECIPIENT_COLUMNS = (
    "person_id",
    "language",
    "channel",
    "recipient",
    "dedupe_key",
    "case_reference",
)
# Marks a placeholder while a text template goes through `linebreaks` (it escapes and wraps
# paragraphs, and leaves these characters alone).
_MARK = "\x00"
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}


def messages_frame(*, event: str, recipients: pl.DataFrame) -> pl.DataFrame:
    """The message rows for `recipients` (one row per message), columns named as the table's.

    `recipients` has RECIPIENT_COLUMNS and one String column per context field of the event.
    """
    fields = sorted(event_get(event).fields)
    missing = [c for c in (*RECIPIENT_COLUMNS, *fields) if c not in recipients.columns]
    if missing:
        raise ValueError(f"Recipients for {event!r} lack the columns {missing}.")
    if recipients.height == 0:
        return pl.DataFrame()
    base = public_base_url()
    recipients = recipients.with_columns(
        pl.when(pl.col(field).str.starts_with("/"))
        .then(pl.lit(base) + pl.col(field))
        .otherwise(pl.col(field))
        .alias(field)
        for field in fields
        if is_link(field)
    )
    parts = []
    for language, group in recipients.group_by("language"):
        template = template_current(event=event, language=str(language[0]))
        parts.append(_rendered(template, group))
    return _rows(pl.concat(parts, how="vertical"), event=event)


def _rendered(template: Template, group: pl.DataFrame) -> pl.DataFrame:
    html = (
        _filled(template.email_html, html=True)
        if template.email_html
        else _filled(_text_as_html(template.email_text), html=True)
    )
    channel = pl.col("channel")
    return group.with_columns(
        language=pl.lit(template.language),
        template_id=pl.lit(template.pk, dtype=pl.Int64),
        subject=pl.when(channel == Channel.SMS)
        .then(pl.lit(""))
        .otherwise(_filled(template.email_subject).str.slice(0, 255)),
        body_text=pl.when(channel == Channel.SMS)
        .then(_filled(template.sms_text))
        .otherwise(_filled(template.email_text)),
        body_html=pl.when(channel == Channel.EMAIL).then(html).otherwise(pl.lit("")),
    )


def _filled(text: str, *, html: bool = False) -> pl.Expr:
    """`text` with each ((field)) replaced by its column (escaped when `html`)."""
    pieces: list[pl.Expr] = []
    for index, piece in enumerate(re.split(_placeholder_or_mark(html), text)):
        if index % 2 == 0:
            pieces.append(pl.lit(piece))
        else:
            value = pl.col(piece).fill_null("")
            pieces.append(value.str.replace_many(_HTML_ESCAPES) if html else value)
    return pl.concat_str(pieces)


def _placeholder_or_mark(html: bool) -> re.Pattern[str]:
    return re.compile(f"{_MARK}([A-Za-z_][A-Za-z0-9_]*){_MARK}") if html else PLACEHOLDER


def _text_as_html(text: str) -> str:
    """`html_from_text`'s markup around marked placeholders, which `_filled` then fills."""
    marked = PLACEHOLDER.sub(lambda match: f"{_MARK}{match.group(1)}{_MARK}", text)
    return str(linebreaks(marked, autoescape=True))


def _rows(rendered: pl.DataFrame, *, event: str) -> pl.DataFrame:
    now = timezone.now()
    channel, recipient = pl.col("channel"), pl.col("recipient").fill_null("")
    refused = (channel != Channel.PORTAL) & (recipient == "")
    portal = channel == Channel.PORTAL
    stamp = pl.lit(now, dtype=pl.Datetime("us", "UTC"))
    none = pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    return rendered.select(
        public_id=time_ordered_ids(rendered.height),
        person_id="person_id",
        channel="channel",
        event=pl.lit(event),
        language="language",
        template_id="template_id",
        recipient=recipient,
        is_contact_verification=pl.lit(False),
        subject="subject",
        body_text="body_text",
        body_html="body_html",
        case_reference="case_reference",
        dedupe_key="dedupe_key",
        status=pl.when(refused)
        .then(pl.lit(Status.FAILED_PERMANENTLY.value))
        .when(portal)
        .then(pl.lit(Status.DELIVERED.value))
        .otherwise(pl.lit(Status.QUEUED.value)),
        attempts=pl.lit(0),
        next_attempt_at=stamp,
        sent_at=pl.when(portal).then(stamp).otherwise(none),
        delivered_at=pl.when(portal).then(stamp).otherwise(none),
        failed_at=pl.when(refused).then(stamp).otherwise(none),
        last_error=pl.when(refused)
        .then(
            pl.lit("The person has no verified ")
            + channel.replace_strict({str(c.value): str(c.label) for c in Channel})
            + pl.lit(".")
        )
        .otherwise(pl.lit("")),
        provider_reference=pl.lit(""),
        resend_count=pl.lit(0),
        created_at=stamp,
        updated_at=stamp,
    )


def time_ordered_ids(count: int) -> pl.Series:
    """`count` UUIDs of version 7 (RFC 9562), increasing, as 32 hex digits (a UUIDField's form).

    48 bits of Unix milliseconds, then the row's number (34 bits, the version and variant bits
    around it), then 40 random bits.
    """
    raw = np.frombuffer(os.urandom(16 * count), dtype=np.uint8).reshape(count, 16).copy()
    now_ms = int(timezone.now().timestamp() * 1000)
    raw[:, 0:6] = np.array([now_ms], dtype=">u8").view(np.uint8)[2:]
    row = np.arange(count, dtype=np.uint64)
    raw[:, 6] = 0x70 | ((row >> 30) & 0x0F).astype(np.uint8)
    raw[:, 7] = ((row >> 22) & 0xFF).astype(np.uint8)
    raw[:, 8] = 0x80 | ((row >> 16) & 0x3F).astype(np.uint8)
    raw[:, 9] = ((row >> 8) & 0xFF).astype(np.uint8)
    raw[:, 10] = (row & 0xFF).astype(np.uint8)
    text = np.empty((count, 32), dtype=np.uint8)
    text[:, 0::2] = _HEX_DIGITS[raw >> 4]
    text[:, 1::2] = _HEX_DIGITS[raw & 0x0F]
    return pl.Series(text.view("S32").ravel()).cast(pl.String)


_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def recipients_by_channel(frame: pl.DataFrame, channels: Sequence[str]) -> pl.DataFrame:
    """One row per (recipient row, channel) for the channels whose contact column is set.

    `frame` has `verified_phone` and `verified_email`; the portal inbox is always a channel.
    """
    contacts = {
        Channel.PORTAL.value: pl.lit(""),
        Channel.SMS.value: pl.col("verified_phone"),
        Channel.EMAIL.value: pl.col("verified_email"),
    }
    parts = [
        frame.with_columns(channel=pl.lit(str(c)), recipient=contacts[str(c)]) for c in channels
    ]
    both = pl.concat(parts, how="vertical")
    return both.filter((pl.col("channel") == Channel.PORTAL) | pl.col("recipient").is_not_null())
