"""Writes of the outbox: queue messages, record receipts, sweep, re-send, retention.

`notification_queue` is called inside the transaction of the business change that causes the
message (case decided, information requested, award made): the message rows and a delivery task
(a django-tasks-db row, one per transaction however many messages it queues) commit or roll back
with that change. Delivery (delivery.py) claims due messages in batches with a conditional
UPDATE, so any number of workers may run and only one sends each message; it is at-least-once,
with sending made idempotent for the receiver (channels.py).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.core.identifiers import InvalidIdentifier, normalize_mobile_phone
from meis.notifications.events import EventCode, event_get
from meis.notifications.models import RESENDABLE, Attachment, Channel, Message, Status, Template
from meis.notifications.placeholders import (
    html_from_text,
    links_absolute,
    render_html,
    render_text,
)
from meis.notifications.selectors import template_current
from meis.notifications.services.attachments import (
    AttachmentFile,
    StoredAttachment,
    attachment_rows_write,
    attachments_store,
)
from meis.notifications.services.delivery import lease
from meis.notifications.tasks import outbox_deliver
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
    attachments: Sequence[AttachmentFile] = (),
) -> list[Message]:
    """Write one message per channel in `channel_preferences` to the person's verified contact.

    Runs in the caller's transaction. The same `dedupe_key` again returns the existing messages.
    A channel for which the person has no verified contact gets a message that fails
    permanently at once (visible to staff); the portal inbox always works. `attachments` go
    with the e-mail and are offered in the portal inbox; an SMS has none.
    """
    template = template_current(event=event, language=person.preferred_language)
    content = _render(template, context)
    stored = attachments_store(attachments) if attachments else []
    # No savepoint: the rows are written together, or an error marks the caller's transaction
    # for rollback (a duplicate key is not an error, see `_message_write`).
    with transaction.atomic(savepoint=False):
        messages = []
        for channel in dict.fromkeys(channel_preferences):
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
                    attachments=stored,
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
    attachments: Sequence[AttachmentFile] = (),
    verified_for_case: bool = False,
) -> Message:
    """Write a message to an explicit e-mail address or mobile number.

    `verified_for_case`: the contact proved by its code for the case `case_reference` only (not
    the person's verified contact); its messages about that case are sent.

    With `contact_verification` (one-time codes only) the contact need not be verified yet:
    the code proves the person owns it. Otherwise a contact that was never verified gets a
    message that fails permanently with the reason, and nothing is sent.
    """
    if channel not in (Channel.EMAIL, Channel.SMS):
        raise ValueError("An explicit contact is an e-mail address or a mobile number.")
    if contact_verification and not event_get(event).allows_unverified_contact:
        raise ValueError(f"Event {event!r} may not be sent to an unverified contact.")
    recipient, refusal = _normalized_contact(channel, contact)
    if refusal is None and not contact_verification and not (verified_for_case and case_reference):
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
        attachments=attachments_store(attachments) if attachments else [],
    )


def _render(template: Template, context: Mapping[str, object]) -> dict[str, str]:
    missing = event_get(template.event).fields - set(context)
    if missing:
        raise ValueError(f"Context for {template.event!r} lacks {sorted(missing)}.")
    context = links_absolute(context)
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
    attachments: Sequence[StoredAttachment],
) -> Message:
    now = timezone.now()
    carries_files = bool(attachments) and channel != Channel.SMS
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
        has_attachments=carries_files,
    )
    if refusal is not None:
        message.status, message.failed_at, message.last_error = (
            Status.FAILED_PERMANENTLY,
            now,
            refusal,
        )
    elif channel == Channel.PORTAL:
        message.status, message.sent_at, message.delivered_at = Status.DELIVERED, now, now
    with transaction.atomic(savepoint=False):
        if message.status == Status.QUEUED:
            message.task_id = delivery_task_of_transaction()
        if not _insert_unless_duplicate(message):
            # The same dedupe key was written before (a retried action, or a concurrent one).
            return Message.objects.get(channel=channel, dedupe_key=dedupe_key)
        if carries_files:
            attachment_rows_write([message], attachments)
    return message


def _insert_unless_duplicate(message: Message) -> bool:
    """INSERT … ON CONFLICT (channel, dedupe_key) DO NOTHING RETURNING id: one statement, and
    no savepoint to roll back to when the key exists (PostgreSQL and SQLite ≥ 3.35)."""
    connection = transaction.get_connection()
    fields = [field for field in Message._meta.concrete_fields if not field.primary_key]
    values = [
        field.get_db_prep_save(field.pre_save(message, add=True), connection) for field in fields
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Message._meta.db_table)} "  # noqa: S608 — names from the model
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            "ON CONFLICT (channel, dedupe_key) DO NOTHING RETURNING id",
            values,
        )
        row = cursor.fetchone()
    if row is None:
        return False
    message.pk = row[0]
    message._state.adding, message._state.db = False, connection.alias
    return True


class _DeliveryTaskMarker:
    """An on-commit callback that does nothing: while it is registered, this transaction has
    written a delivery task. Django drops it with a rolled-back savepoint (and the task row
    with it) and after commit or rollback, so the next transaction writes its own task."""

    def __init__(self, task_id: uuid.UUID) -> None:
        self.task_id = task_id

    def __call__(self) -> None:
        pass


def delivery_task_of_transaction() -> uuid.UUID:
    """The delivery task of the current transaction, written now if it has none yet.

    A transaction queueing 500 messages writes one task row, not 500; the task runs after the
    commit and sends every due message. Call inside `transaction.atomic()`.
    """
    connection = transaction.get_connection()
    # `run_on_commit` is Django's list of this transaction's on-commit callbacks. Were it ever
    # renamed, every message would get its own task: slower, never wrong.
    for _savepoints, callback, *_robust in getattr(connection, "run_on_commit", ()):
        if isinstance(callback, _DeliveryTaskMarker):
            return callback.task_id
    task_id = uuid.UUID(str(outbox_deliver.enqueue().id))
    transaction.on_commit(_DeliveryTaskMarker(task_id))
    return task_id


def outbox_wake() -> uuid.UUID:
    """Have the outbox deliver soon: for callers that insert queued messages set-based, in
    their transaction (one task however often it is called there)."""
    with transaction.atomic(savepoint=False):
        return delivery_task_of_transaction()


# --- Sweep, receipts, re-send, inbox, retention ---------------------------------------------


def outbox_sweep() -> int:
    """Enqueue a delivery task when messages are claimable and no task will take them: stuck in
    `sending` past the lease (the worker died), or due with no delivery task waiting or alive
    (the task was lost, or the rows were inserted without one, set-based). Returns how many
    such messages there are; idempotent — the task it writes counts as waiting next time.
    """
    now = timezone.now()
    deliveries = DBTaskResult.objects.filter(task_path=outbox_deliver.module_path)
    alive = Q(status=TaskResultStatus.RUNNING, started_at__gte=now - lease())
    if deliveries.ready().exists() or deliveries.filter(alive).exists():
        return 0  # that task claims every due message, and those past the lease, until none
    stale = Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - lease()).count()
    due = Message.objects.filter(
        status__in=[Status.QUEUED, Status.FAILED_TEMPORARILY], next_attempt_at__lte=now
    ).count()
    if stale or due:
        outbox_deliver.enqueue()
        logger.warning(
            "Outbox sweep: %d message(s) stuck in sending, %d due without a delivery task",
            stale,
            due,
        )
    return stale + due


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
        if message.body_redacted_at is not None:
            raise MessageNotResendable("The message's content was removed under retention.")
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
        message.task_id = delivery_task_of_transaction()
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


# A one-time code's text is kept this long after it was written (codes are valid for minutes;
# the development message page shows them), then removed once the message is finished.
ONE_TIME_CODE_KEPT_FOR = timedelta(hours=1)
FINISHED = (Status.SENT, Status.DELIVERED, Status.FAILED_PERMANENTLY, Status.DEAD)


def message_contents_redact(*, now: datetime | None = None, batch_size: int = 1000) -> int:
    """Remove the text and attachment bytes of finished one-time codes (an hour after they were
    written) and of every finished e-mail or SMS older than NOTIFICATION_BODY_RETENTION_DAYS.

    The row stays as the receipt: who, which event, channel, recipient, subject, status and
    times, the template version and each attachment's name, size and SHA-256. Portal-inbox messages are
    the citizen's own mailbox and are kept. Idempotent; returns how many messages it redacted.
    """
    now = now or timezone.now()
    days = settings.NOTIFICATION_BODY_RETENTION_DAYS
    codes = Q(event=EventCode.ONE_TIME_CODE, created_at__lt=now - ONE_TIME_CODE_KEPT_FOR)
    old = Q(created_at__lt=now - timedelta(days=days)) & ~Q(channel=Channel.PORTAL)
    targets = Message.objects.filter(
        codes | old, status__in=FINISHED, body_redacted_at__isnull=True
    ).order_by("pk")
    redacted = 0
    while ids := list(targets.values_list("pk", flat=True)[:batch_size]):
        redacted += _contents_redact(ids, now)
    if redacted:
        logger.info("Retention removed the content of %d message(s)", redacted)
    return redacted


def _contents_redact(ids: list[int], now: datetime) -> int:
    with transaction.atomic():
        count = Message.objects.filter(pk__in=ids).update(
            body_text="",
            body_html="",
            body_redacted_at=now,
            updated_at=now,
        )
        files = Attachment.objects.filter(message_id__in=ids).exclude(storage_name="")
        names = set(files.values_list("storage_name", flat=True))
        files.update(storage_name="")
        # Bytes shared with a message still within retention stay for it.
        unused = names - set(
            Attachment.objects.filter(storage_name__in=names).values_list("storage_name", flat=True)
        )
        transaction.on_commit(lambda: _files_delete(unused))
    return count


def _files_delete(names: set[str]) -> None:
    for name in sorted(names):
        default_storage.delete(name)


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
