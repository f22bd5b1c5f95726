"""Writes of the outbox: queue messages, send them, record receipts, sweep, re-send.

`notification_queue` is called inside the transaction of the business change that causes the
message (case decided, information requested, award made): the message row and its delivery task
(a django-tasks-db row) commit or roll back with that change. Delivery is at-least-once with
idempotent sending (see channels.py); the claim is a conditional UPDATE, so any number of workers
may run `message_deliver` for the same message and only one sends it.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.core.identifiers import InvalidIdentifier, normalize_mobile_phone
from meis.notifications.channels import PermanentFailure, TemporaryFailure, adapter_for
from meis.notifications.events import event_get
from meis.notifications.models import RESENDABLE, Channel, Message, Status, Template
from meis.notifications.placeholders import html_from_text, render_html, render_text
from meis.notifications.selectors import template_current
from meis.notifications.tasks import message_deliver
from meis.registry.models import Person

logger = logging.getLogger(__name__)

_PUBLIC_ID_NAMESPACE = uuid.UUID("6f1c1c52-8f0e-4b8e-9a55-2d0f4f6f0a11")


class MessageNotResendable(Exception):
    """Only failed or dead messages may be re-sent."""


# --- Queueing -------------------------------------------------------------------------------


def notification_queue(
    *,
    person: Person,
    event: str,
    context: Mapping[str, object],
    channel_preferences: Sequence[str],
    dedupe_key: str,
    case_reference: str = "",
) -> list[Message]:
    """Write one message per channel in `channel_preferences` to the person's verified contact.

    Runs in the caller's transaction. The same `dedupe_key` again returns the existing messages.
    A channel for which the person has no verified contact gets a message that fails
    permanently at once (visible to staff); the portal inbox always works.
    """
    template = template_current(event=event, language=person.preferred_language)
    content = _render(template, context)
    channels = list(dict.fromkeys(channel_preferences))
    # One channel: its own savepoint in `_message_write` is the whole write. Several: one
    # savepoint around them, so they are written together or not at all.
    with transaction.atomic() if len(channels) > 1 else contextlib.nullcontext():
        messages = []
        for channel in channels:
            recipient = _verified_contact(person, channel)
            messages.append(
                _message_write(
                    person=person,
                    channel=channel,
                    template=template,
                    content=content,
                    recipient=recipient or "",
                    refusal=None
                    if recipient is not None
                    else f"The person has no verified {Channel(channel).label}.",
                    dedupe_key=dedupe_key,
                    case_reference=case_reference,
                    is_contact_verification=False,
                )
            )
        return messages


def notification_queue_to_contact(
    *,
    contact: str,
    channel: str,
    event: str,
    context: Mapping[str, object],
    language: str,
    dedupe_key: str,
    person: Person | None = None,
    contact_verification: bool = True,
    case_reference: str = "",
) -> Message:
    """Write a message to an explicit e-mail address or mobile number.

    With `contact_verification` (one-time codes only) the contact need not be verified yet:
    the code proves the person owns it. Otherwise a contact that was never verified gets a
    message that fails permanently with the reason, and nothing is sent.
    """
    if channel not in (Channel.EMAIL, Channel.SMS):
        raise ValueError("An explicit contact is an e-mail address or a mobile number.")
    if contact_verification and not event_get(event).allows_unverified_contact:
        raise ValueError(f"Event {event!r} may not be sent to an unverified contact.")
    recipient, refusal = _normalized_contact(channel, contact)
    if refusal is None and not contact_verification:
        refusal = _unverified_refusal(person, channel, recipient)
    template = template_current(event=event, language=language)
    return _message_write(
        person=person,
        channel=channel,
        template=template,
        content=_render(template, context),
        recipient=recipient,
        refusal=refusal,
        dedupe_key=dedupe_key,
        case_reference=case_reference,
        is_contact_verification=contact_verification,
    )


def _render(template: Template, context: Mapping[str, object]) -> dict[str, str]:
    missing = event_get(template.event).fields - set(context)
    if missing:
        raise ValueError(f"Context for {template.event!r} lacks {sorted(missing)}.")
    return {
        "subject": render_text(template.email_subject, context)[:255],
        "text": render_text(template.email_text, context),
        "html": render_html(template.email_html, context)
        if template.email_html
        else html_from_text(template.email_text, context),
        "sms": render_text(template.sms_text, context),
    }


def _verified_contact(person: Person, channel: str) -> str | None:
    if channel == Channel.EMAIL:
        return person.verified_email or None
    if channel == Channel.SMS:
        return person.verified_phone or None
    if channel == Channel.PORTAL:
        return ""
    raise ValueError(f"Unknown channel {channel!r}.")


def _normalized_contact(channel: str, contact: str) -> tuple[str, str | None]:
    contact = contact.strip()
    if channel == Channel.EMAIL:
        return contact.lower(), None
    try:
        return normalize_mobile_phone(contact), None
    except InvalidIdentifier:
        return contact[:254], "Not a valid mobile phone number."


def _unverified_refusal(person: Person | None, channel: str, recipient: str) -> str | None:
    field = "verified_email__iexact" if channel == Channel.EMAIL else "verified_phone"
    people = Person.objects.filter(**{field: recipient})
    if person is not None:
        people = people.filter(pk=person.pk)
    if people.exists():
        return None
    return "The contact was never verified; nothing was sent."


def _message_write(
    *,
    person: Person | None,
    channel: str,
    template: Template,
    content: dict[str, str],
    recipient: str,
    refusal: str | None,
    dedupe_key: str,
    case_reference: str,
    is_contact_verification: bool,
) -> Message:
    now = timezone.now()
    message = Message(
        public_id=uuid.uuid5(_PUBLIC_ID_NAMESPACE, f"{channel}:{dedupe_key}"),
        person=person,
        channel=channel,
        event=template.event,
        language=template.language,
        template=template,
        recipient=recipient,
        is_contact_verification=is_contact_verification,
        subject=content["subject"] if channel != Channel.SMS else "",
        body_text=content["sms"] if channel == Channel.SMS else content["text"],
        body_html=content["html"] if channel == Channel.EMAIL else "",
        case_reference=case_reference,
        dedupe_key=dedupe_key,
        next_attempt_at=now,
    )
    if refusal is not None:
        message.status, message.failed_at, message.last_error = (
            Status.FAILED_PERMANENTLY,
            now,
            refusal,
        )
    elif channel == Channel.PORTAL:
        message.status, message.sent_at, message.delivered_at = Status.DELIVERED, now, now
    # No look-up first: the unique (channel, dedupe_key) decides. The task names the message by
    # its public id, so it is written before the message and the message carries its id; a
    # duplicate key rolls both back to the savepoint and returns the existing row.
    try:
        with transaction.atomic():
            if message.status == Status.QUEUED:
                message.task_id = _task_enqueue(message, run_after=None)
            message.save(force_insert=True)
    except IntegrityError:
        # The same dedupe key was written before (a retried action, or a concurrent one).
        message.task_id = None
        return Message.objects.get(channel=channel, dedupe_key=dedupe_key)
    return message


def _task_enqueue(message: Message, *, run_after: datetime | None) -> uuid.UUID:
    task = message_deliver.using(run_after=run_after) if run_after else message_deliver
    result = task.enqueue(str(message.public_id))
    return uuid.UUID(str(result.id))


def _enqueue(message: Message, *, run_after: datetime | None) -> None:
    """Enqueue a delivery task for a message already written, and record the task on it."""
    message.task_id = _task_enqueue(message, run_after=run_after)
    Message.objects.filter(pk=message.pk).update(task_id=message.task_id)


# --- Sending --------------------------------------------------------------------------------


def message_send(*, message_id: int | None = None, public_id: uuid.UUID | str | None = None) -> str:
    """Claim one message (by pk or public id), hand it to its channel and record the outcome;
    returns the outcome."""
    now = timezone.now()
    which = Q(pk=message_id) if public_id is None else Q(public_id=public_id)
    if not _message_claim(which, now=now):
        return "not claimable"
    message = Message.objects.get(which)
    try:
        reference = adapter_for(message.channel).send(message)
    except PermanentFailure as failure:
        _message_record(
            message, status=Status.FAILED_PERMANENTLY, failed_at=timezone.now(), error=failure
        )
        return Status.FAILED_PERMANENTLY
    except Exception as failure:  # TemporaryFailure, and any bug in an adapter: retry later
        if not isinstance(failure, TemporaryFailure):
            logger.exception("Channel %s raised unexpectedly", message.channel)
        return _message_failed_temporarily(message, failure)
    _message_record(
        message, status=Status.SENT, sent_at=timezone.now(), provider_reference=reference or ""
    )
    return Status.SENT


def _message_claim(which: Q | None = None, *, now: datetime, message_id: int | None = None) -> bool:
    """Conditional UPDATE: only one worker turns a due message into `sending`."""
    if which is None:
        which = Q(pk=message_id)
    claimable = Q(
        status__in=[Status.QUEUED, Status.FAILED_TEMPORARILY], next_attempt_at__lte=now
    ) | Q(status=Status.SENDING, claimed_at__lt=now - _lease())
    claimed = Message.objects.filter(claimable, which).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _message_record(
    message: Message, *, status: str, error: Exception | None = None, **fields: Any
) -> int:
    """Record the outcome of this worker's attempt, unless another attempt has taken over."""
    return Message.objects.filter(
        pk=message.pk, status=Status.SENDING, attempts=message.attempts
    ).update(status=status, last_error=str(error or "")[:2000], **fields)


def _message_failed_temporarily(message: Message, failure: Exception) -> str:
    now = timezone.now()
    if message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        _message_record(message, status=Status.DEAD, failed_at=now, error=failure)
        return Status.DEAD
    next_attempt_at = now + retry_delay(attempts=message.attempts)
    with transaction.atomic():
        recorded = _message_record(
            message,
            status=Status.FAILED_TEMPORARILY,
            failed_at=now,
            next_attempt_at=next_attempt_at,
            error=failure,
        )
        if recorded:
            _enqueue(message, run_after=next_attempt_at)
    return Status.FAILED_TEMPORARILY


def retry_delay(*, attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped."""
    seconds = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.NOTIFICATION_RETRY_MAX_SECONDS))


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_SENDING_LEASE)


# --- Sweep, receipts, re-send, inbox --------------------------------------------------------


def outbox_sweep(*, batch_size: int = 1000) -> int:
    """Re-enqueue messages whose task was lost: stuck in `sending` past the lease (the worker
    died) or due without a waiting task. Idempotent; the claim keeps a double enqueue harmless.
    """
    now = timezone.now()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).values("id")
    # A task a dead worker had claimed stays RUNNING forever; past the lease it no longer counts,
    # or a message it had not yet claimed would wait for it for ever.
    waiting_or_running = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=now - _lease())
    ).values("id")
    stale = Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - _lease()).exclude(
        task_id__in=waiting
    )
    due = Message.objects.filter(
        status__in=[Status.QUEUED, Status.FAILED_TEMPORARILY], next_attempt_at__lte=now
    ).exclude(task_id__in=waiting_or_running)
    lost = list(stale.order_by("pk")[:batch_size]) + list(due.order_by("pk")[:batch_size])
    for message in lost:
        with transaction.atomic():
            _enqueue(message, run_after=None)
    if lost:
        logger.warning("Outbox sweep re-enqueued %d message(s) whose task was lost", len(lost))
    return len(lost)


RECEIPT_STATUSES = {
    "delivered": Status.DELIVERED,
    "failed": Status.FAILED_PERMANENTLY,
    "expired": Status.FAILED_PERMANENTLY,
    "rejected": Status.FAILED_PERMANENTLY,
}


def sms_receipt_record(*, reference: uuid.UUID, status: str, error: str = "") -> bool:
    """Apply a delivery receipt from the SMS gateway; False when no such SMS awaits one."""
    new_status = RECEIPT_STATUSES[status]
    now = timezone.now()
    fields: dict[str, Any] = (
        {"delivered_at": now}
        if new_status == Status.DELIVERED
        else {"failed_at": now, "last_error": f"Gateway: {status} {error}".strip()[:2000]}
    )
    updated = Message.objects.filter(
        public_id=reference,
        channel=Channel.SMS,
        status__in=[Status.SENDING, Status.SENT],
    ).update(status=new_status, **fields)
    return updated == 1


def message_resend(*, message: Message, actor: Any, request: HttpRequest | None = None) -> Message:
    """Queue a failed or dead message again, to the person's current verified contact; audited."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.status not in RESENDABLE:
            raise MessageNotResendable(f"A {message.status} message cannot be re-sent.")
        if message.person is not None and not message.is_contact_verification:
            contact = _verified_contact(message.person, message.channel)
            if contact is None:
                raise MessageNotResendable("The person still has no verified contact.")
            message.recipient = contact
        previous = message.status
        message.status = Status.QUEUED
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.last_error = ""
        message.failed_at = None
        message.resend_count += 1
        message.task_id = _task_enqueue(message, run_after=None)
        message.save()
        audit_record(
            action=AuditAction.MESSAGE_RESEND,
            actor=actor,
            person=message.person,
            obj=message,
            request=request,
            purpose="Re-send a failed message",
            details={"previous_status": previous, "channel": message.channel},
        )
    return message


def inbox_item_mark_read(*, person: Person, message_id: int) -> bool:
    """Mark one of the person's own inbox messages read (never someone else's)."""
    updated = Message.objects.filter(
        pk=message_id, person=person, channel=Channel.PORTAL, read_at__isnull=True
    ).update(read_at=timezone.now())
    return updated == 1


def template_version_create(*, template: Template, actor: Any) -> Template:
    """Save an edited template as the next version; the edited row is left as it was."""
    with transaction.atomic():
        latest = (
            Template.objects.select_for_update()
            .filter(event=template.event, language=template.language)
            .order_by("-version")
            .first()
        )
        template.pk = None
        template.version = (latest.version if latest else 0) + 1
        template.created_by = actor if getattr(actor, "is_authenticated", False) else None
        template.full_clean()
        template.save()
    return template
