"""Sending: claim due messages in batches, hand them to their channel, record the outcomes.

A worker running `outbox_deliver` claims up to `NOTIFICATION_BATCH_SIZE` due messages in one
conditional `UPDATE … RETURNING` (rows locked with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so
workers never claim the same row), sends them over one SMTP connection, and records each
outcome as soon as it is known; it repeats until nothing is due. A claim only takes a message that
is due (`queued` or `failed_temporarily` with `next_attempt_at` passed) or `sending` past the
lease (its worker died); an outcome is written only while the claim is still this worker's
(status `sending` and the same `attempts`). Delivery is therefore at-least-once; the Message-ID
and `Idempotency-Key` (channels.py) let the receiver drop the duplicate a killed worker causes.
"""

from __future__ import annotations

import itertools
import logging
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from meis.notifications.channels import (
    EmailAdapter,
    EmailAttachment,
    PermanentFailure,
    TemporaryFailure,
    adapter_for,
)
from meis.notifications.models import Attachment, Message, Status
from meis.notifications.services.attachments import attachment_content
from meis.notifications.tasks import outbox_deliver
from meis.registry.models import Person

logger = logging.getLogger(__name__)

# A delivery task hands the worker back after this long, enqueueing its successor, so other
# tasks (case pre-checks, heartbeats) are not starved while a large backlog drains.
TIME_BUDGET_SECONDS = 30.0

NOT_CLAIMABLE = "not claimable"


def outbox_deliver_due(*, batch_size: int | None = None) -> str:
    """Send due messages batch by batch until none is left (or the time budget is spent)."""
    size = batch_size or settings.NOTIFICATION_BATCH_SIZE
    started = time.monotonic()
    counts: dict[str, int] = {}
    _commit_asynchronously(True)
    try:
        while batch := messages_claim(limit=size):
            for outcome in messages_deliver(batch):
                counts[outcome] = counts.get(outcome, 0) + 1
            if time.monotonic() - started > TIME_BUDGET_SECONDS:
                outbox_deliver.enqueue()  # the successor drains the rest
                break
    finally:
        _commit_asynchronously(False)
        EmailAdapter.connection_close()  # a worker holds no SMTP connection while it idles
    return ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "nothing due"


def _commit_asynchronously(on: bool) -> None:
    """PostgreSQL's `synchronous_commit = off` while this task records outcomes: a commit no
    longer waits for the WAL flush. A killed worker loses nothing it committed; only a crash of
    the database server could forget the last fraction of a second of outcomes, and those
    messages are then sent again — the at-least-once delivery the receivers already handle."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off" if on else "RESET synchronous_commit")


def message_send(*, message_id: int | None = None, public_id: uuid.UUID | str | None = None) -> str:
    """Claim one message (by pk or public id) and deliver it; returns the outcome."""
    which = Q(pk=message_id) if public_id is None else Q(public_id=public_id)
    claimed = messages_claim(limit=1, which=which)
    if not claimed:
        return NOT_CLAIMABLE
    [outcome] = messages_deliver(claimed)
    return outcome


# --- Claim ----------------------------------------------------------------------------------


def messages_claim(*, limit: int, which: Q | None = None) -> list[Message]:
    """Turn up to `limit` claimable messages into `sending` (attempts + 1) and return them.

    Due messages first, then messages stuck in `sending` past the lease. Each claim is one
    statement in its own transaction, committed before anything is sent.
    """
    now = timezone.now()
    due = Q(status__in=[Status.QUEUED, Status.FAILED_TEMPORARILY], next_attempt_at__lte=now)
    stale = Q(status=Status.SENDING, claimed_at__lt=now - lease())
    ids: list[int] = []
    for condition in (due, stale):
        if len(ids) < limit:
            ids += _claim(condition & which if which else condition, limit - len(ids), now)
    return list(Message.objects.filter(pk__in=ids).order_by("pk")) if ids else []


def _claim(condition: Q, limit: int, now: datetime) -> list[int]:
    """One `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED) RETURNING id`."""
    candidates = Message.objects.filter(condition).order_by().values("pk")[:limit]
    if connection.features.has_select_for_update_skip_locked:
        candidates = candidates.select_for_update(skip_locked=True)
    table = connection.ops.quote_name(Message._meta.db_table)
    stamp = Message._meta.get_field("claimed_at").get_db_prep_save(now, connection)
    with transaction.atomic(), connection.cursor() as cursor:
        # Compiled by the ORM (inside the transaction FOR UPDATE needs), placeholders and all.
        select_sql, select_params = candidates.query.sql_with_params()
        cursor.execute(
            f"UPDATE {table} SET status = %s, claimed_at = %s, updated_at = %s, "  # noqa: S608
            f"attempts = attempts + 1 WHERE id IN ({select_sql}) RETURNING id",
            [Status.SENDING.value, stamp, stamp, *select_params],
        )
        return [row[0] for row in cursor.fetchall()]


# --- Send and record ------------------------------------------------------------------------


def messages_deliver(messages: Sequence[Message]) -> list[str]:
    """Send claimed messages (one connection per channel), recording each outcome as soon as
    it is known: a worker killed mid-batch leaves at most the message it was sending unrecorded,
    so at most that one is sent twice (the crash test holds this)."""
    files = _attachments_of(messages)
    dead = _dead_recipients(messages)
    retry_tasks: dict[datetime, uuid.UUID] = {}
    statuses = []
    by_channel = itertools.groupby(sorted(messages, key=lambda m: m.channel), lambda m: m.channel)
    for channel, group in by_channel:
        down: TemporaryFailure | None = None
        for message in group:
            if message.person_id in dead:
                statuses.append(_outcome_record(message, _deceased(), retry_tasks))
                continue
            # An unreachable server fails the rest of the batch without a time-out for each.
            outcome = down or _send(channel, message, files.get(message.pk, ()))
            if isinstance(outcome, TemporaryFailure) and outcome.channel_down:
                down = outcome
            statuses.append(_outcome_record(message, outcome, retry_tasks))
    return statuses


def _dead_recipients(messages: Sequence[Message]) -> set[int]:
    """The people of the batch whose death the registry records: nothing more goes to them,
    whenever the message was queued (one query per batch)."""
    people = {m.person_id for m in messages if m.person_id is not None}
    if not people:
        return set()
    return set(
        Person.objects.filter(pk__in=people, died_on__isnull=False).values_list("pk", flat=True)
    )


def _deceased() -> PermanentFailure:
    return PermanentFailure("Not sent: the registry records the person's death.")


def _send(channel: str, message: Message, files: Sequence[EmailAttachment]) -> str | Exception:
    try:
        return adapter_for(channel).send(message, attachments=files)
    except (PermanentFailure, TemporaryFailure) as failure:
        return failure
    except Exception as failure:  # a bug in an adapter: retry later
        logger.exception("Channel %s raised unexpectedly", channel)
        return failure


def _attachments_of(messages: Sequence[Message]) -> dict[int, list[EmailAttachment]]:
    carrying = [m.pk for m in messages if m.has_attachments]
    files: dict[int, list[EmailAttachment]] = {}
    if carrying:
        for attachment in Attachment.objects.filter(message_id__in=carrying).order_by("id"):
            if attachment.is_available:
                files.setdefault(attachment.message_id, []).append(
                    EmailAttachment(
                        attachment.file_name,
                        attachment_content(attachment),
                        attachment.content_type,
                    )
                )
    return files


def _outcome_record(
    message: Message, outcome: str | Exception, retry_tasks: dict[datetime, uuid.UUID]
) -> str:
    """Write the outcome, only while the claim is still ours (status and attempts)."""
    now = timezone.now()
    fields: dict[str, object]
    if isinstance(outcome, str):
        fields = {"status": Status.SENT, "sent_at": now, "provider_reference": outcome[:100]}
    elif isinstance(outcome, PermanentFailure):
        fields = {"status": Status.FAILED_PERMANENTLY, "failed_at": now}
    elif message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        fields = {"status": Status.DEAD, "failed_at": now}
    else:
        run_after = _whole_second(now + retry_delay(attempts=message.attempts))
        fields = {"status": Status.FAILED_TEMPORARILY, "failed_at": now}
        fields["next_attempt_at"] = run_after
    fields["last_error"] = "" if isinstance(outcome, str) else str(outcome)[:2000]
    fields["updated_at"] = now
    if fields["status"] == Status.FAILED_TEMPORARILY:
        with transaction.atomic():  # the retry's task and the status together
            fields["task_id"] = _retry_task(run_after, retry_tasks)
            _update_if_ours(message, fields)
    else:
        _update_if_ours(message, fields)
    for name, value in fields.items():
        setattr(message, name, value)
    return message.status


def _update_if_ours(message: Message, fields: dict[str, object]) -> None:
    """`UPDATE … SET fields WHERE id AND status = 'sending' AND attempts` as plain SQL: on this
    path, run once per message, compiling the ORM's update costs three times the statement."""
    quote = connection.ops.quote_name
    concrete = {field.name: field for field in Message._meta.concrete_fields}
    columns = [concrete[name] for name in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Message._meta.db_table)} SET "  # noqa: S608 — names from the model
            + ", ".join(f"{quote(column.column)} = %s" for column in columns)
            + " WHERE id = %s AND status = %s AND attempts = %s",
            [
                *(
                    c.get_db_prep_save(v, connection)
                    for c, v in zip(columns, fields.values(), strict=True)
                ),
                message.pk,
                Status.SENDING.value,
                message.attempts,
            ],
        )


def _whole_second(moment: datetime) -> datetime:
    """Rounded up, so the failures of one batch share a retry time and its one task."""
    return moment + timedelta(microseconds=-moment.microsecond % 1_000_000)


def _retry_task(run_after: datetime, retry_tasks: dict[datetime, uuid.UUID]) -> uuid.UUID:
    """One deferred delivery task per retry time in a batch (the batch's failures share it)."""
    if run_after not in retry_tasks:
        task = outbox_deliver.using(run_after=run_after).enqueue()
        retry_tasks[run_after] = uuid.UUID(str(task.id))
    return retry_tasks[run_after]


def retry_delay(*, attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped."""
    seconds = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.NOTIFICATION_RETRY_MAX_SECONDS))


def lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_SENDING_LEASE)
