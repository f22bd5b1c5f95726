"""Writes of the e-mail channel: read each centre's mailbox, turn mail into drafts, answer.

`mailbox_read` logs in over IMAP (imap-tools), fetches the headers of every message past the
mailbox's cursor, skips the Message-IDs already kept, quarantines what is too large without
downloading it, then fetches the rest and hands each to `email_intake`: one transaction per
e-mail, so a failure loses nothing and re-reading the mailbox never makes a second draft (the
database refuses a second row per centre and Message-ID).

`email_intake` screens the headers (`screening.py`): loops, bounces and spam are quarantined
with their reason and never answered; a forged sender is quarantined and not answered either
(the answer would go to the person whose address was forged). A person's e-mail becomes a
draft of the centre with a new case reference, or is added to the case (or earlier draft)
whose reference its subject names. Each attachment passes the same checks as an upload
(`meis.cases.services.documents`: content sniffing, size, active PDF content, virus scan);
a refused file is recorded with its reason and not stored. The sender's automatic answer goes
through the outbox and carries only the reference, the centre's name and the names of refused
files — never personal data, since the From address may not be the applicant's verified one.
"""

from __future__ import annotations

import hashlib
import imaplib
import itertools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage
from imap_tools.errors import UnexpectedCommandStatusError

from meis.accounts.access import actor_roles, role_codes, staff_institution
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.cases.models import Case, Channel, ContactChannel
from meis.cases.services import CaseActionError, CaseInvalid, case_submit, reference_next
from meis.cases.services.documents import (
    DocumentRefused,
    document_check,
    document_store,
    stored_files_delete,
)
from meis.catalog.definitions import DocumentDefinition
from meis.catalog.models import EServiceVersion
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.centres.models import ServiceCentre
from meis.core.identifiers import InvalidIdentifier
from meis.mailintake.mailboxes import Mailbox, mailboxes_configured
from meis.mailintake.models import (
    EmailStatus,
    InboundAttachment,
    InboundEmail,
    MailboxCursor,
    QuarantineReason,
)
from meis.mailintake.screening import Headers, quarantine_reason
from meis.notifications.events import EventCode
from meis.notifications.models import Channel as MessageChannel
from meis.notifications.services import notification_queue_to_contact
from meis.registry.models import Person
from meis.registry.selectors import person_get_by_fin_and_document
from meis.usage.models import UsageKind
from meis.usage.services import usage_record

logger = logging.getLogger(__name__)

BATCH = 50  # e-mails fetched in one IMAP command and committed in one transaction
REFERENCE = re.compile(r"\bMEIS-\d{4}-\d{7}\b", re.IGNORECASE)
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


# --- The message as read ----------------------------------------------------------------------
@dataclass(frozen=True)
class IncomingFile:
    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class IncomingEmail:
    """One message as the mailbox gave it: headers, text and attachments."""

    uid: int
    message_id: str
    sender: str
    sender_name: str
    subject: str
    text: str
    sent_at: datetime | None
    size: int
    headers: Headers
    files: tuple[IncomingFile, ...] = ()


def _headers(message: MailMessage) -> dict[str, tuple[str, ...]]:
    headers: dict[str, list[str]] = {}
    for name, value in message.obj.items():
        headers.setdefault(name.lower(), []).append(str(value))
    return {name: tuple(values) for name, values in headers.items()}


def message_id_of(headers: Headers) -> str:
    """The Message-ID without its brackets; a digest of the headers when it is missing or huge."""
    value = (headers.get("message-id") or ("",))[0].strip().strip("<>").strip()
    if value and len(value) <= 200:
        return value
    digest = hashlib.sha256(repr(sorted(headers.items())).encode()).hexdigest()
    return f"sha256:{digest}"


def _sent_at(message: MailMessage) -> datetime | None:
    try:
        moment = message.date
    except (TypeError, ValueError):
        return None
    if moment.year < 1980 or timezone.is_naive(moment):
        return None
    return moment


def incoming_from_imap(message: MailMessage, *, with_files: bool = True) -> IncomingEmail:
    headers = _headers(message)
    sender = message.from_values
    return IncomingEmail(
        uid=int(message.uid or 0),
        message_id=message_id_of(headers),
        sender=(sender.email if sender else "").strip().lower()[:254],
        sender_name=(sender.name if sender else "")[:255],
        subject=" ".join(message.subject.split())[:255],
        text=message.text or message.html,
        sent_at=_sent_at(message),
        size=message.size_rfc822 or message.size,
        headers=headers,
        files=tuple(
            IncomingFile(
                name=(part.filename or _("attachment"))[:255],
                content_type=part.content_type,
                content=part.payload,
            )
            for part in message.attachments
        )
        if with_files
        else (),
    )


# --- One e-mail -------------------------------------------------------------------------------
class Outcome:
    NEW = "new"
    ADDED = "added"
    QUARANTINED = "quarantined"
    DUPLICATE = "duplicate"


def attachment_definition() -> DocumentDefinition:
    """What an e-mailed file must be: what an upload may be (PDF, JPEG, PNG), up to the limit."""
    return DocumentDefinition(
        code="email",
        name={"az": "Məktubun qoşması", "en": "E-mail attachment", "ru": "Вложение письма"},
        required=False,
        content_types=("pdf", "jpeg", "png"),
        max_size_kb=settings.MAIL_INTAKE_ATTACHMENT_MAX_KB,
        max_count=settings.MAIL_INTAKE_ATTACHMENTS_MAX_COUNT,
    )


def _sender_person(sender: str) -> Person | None:
    """The one person whose verified e-mail this is (None when nobody's, or several people's)."""
    # Verified e-mails are stored in lower case (`meis.cases.services.drafts`), as `sender` is.
    people = list(Person.objects.filter(verified_email=sender)[:2])
    return people[0] if len(people) == 1 else None


def _thread_of(subject: str) -> tuple[Case | None, InboundEmail | None]:
    """The case, or the e-mail draft, whose reference the subject names."""
    for match in REFERENCE.finditer(subject):
        reference = match.group(0).upper()
        case = Case.objects.filter(reference=reference).first()
        if case is not None:
            return case, None
        first = (
            InboundEmail.objects.filter(reference=reference, thread__isnull=True)
            .exclude(status=EmailStatus.QUARANTINED)
            .first()
        )
        if first is not None:
            return first.case, first
    return None, None


def email_intake(
    *, centre: ServiceCentre, incoming: IncomingEmail, mailbox_address: str = ""
) -> str:
    """Keep one e-mail as a draft, an addition to a case, or in quarantine; answer a person."""
    if InboundEmail.objects.filter(centre=centre, message_id=incoming.message_id).exists():
        return Outcome.DUPLICATE
    reason = quarantine_reason(
        incoming.headers,
        incoming.sender,
        message_id=incoming.message_id,
        mailbox_address=mailbox_address,
    )
    if not reason and incoming.size > settings.MAIL_INTAKE_MAX_MESSAGE_BYTES:
        reason = QuarantineReason.OVERSIZE
    stored: list[str] = []
    try:
        with transaction.atomic():
            email = _email_write(centre=centre, incoming=incoming, reason=reason)
            usage_record(
                kind=UsageKind.EMAIL,
                occurred_at=email.received_at,
                channel=Channel.EMAIL,
                region=centre.region,
                centre_code=centre.code,
                outcome=email.status,  # a new request, an addition to a case, or quarantined
                source=f"email:{email.pk}",
            )
            if not reason:
                refused = _attachments_write(email, incoming.files, stored)
                _acknowledge(email, refused=refused)
            elif reason == QuarantineReason.OVERSIZE:
                _refuse(email)
    except IntegrityError:
        stored_files_delete(stored)  # another reader kept this Message-ID first
        if InboundEmail.objects.filter(centre=centre, message_id=incoming.message_id).exists():
            return Outcome.DUPLICATE
        raise
    except Exception:
        stored_files_delete(stored)
        raise
    if reason:
        logger.info("Quarantined an e-mail to %s: %s", centre.code, reason)
        return Outcome.QUARANTINED
    return Outcome.ADDED if email.status == EmailStatus.ADDED else Outcome.NEW


def _email_write(*, centre: ServiceCentre, incoming: IncomingEmail, reason: str) -> InboundEmail:
    now = timezone.now()
    email = InboundEmail(
        centre=centre,
        message_id=incoming.message_id,
        uid=incoming.uid,
        sender=incoming.sender,
        sender_name=incoming.sender_name,
        subject=incoming.subject,
        body_text=incoming.text if reason != QuarantineReason.OVERSIZE else "",
        size=incoming.size,
        sent_at=incoming.sent_at,
        received_at=now,
        status=EmailStatus.QUARANTINED if reason else EmailStatus.DRAFT,
        quarantine_reason=reason,
    )
    if not reason:
        email.person = _sender_person(incoming.sender)
        case, first = _thread_of(incoming.subject)
        if case is not None or first is not None:
            email.status = EmailStatus.ADDED
            email.case, email.thread = case, first
            email.reference = case.reference if case is not None else first.reference  # type: ignore[union-attr]
        else:
            email.reference = reference_next(year=timezone.localdate(now).year)
    email.save(force_insert=True)  # a concurrent reader's row makes IntegrityError (caller)
    return email


def _attachments_write(
    email: InboundEmail, files: Iterable[IncomingFile], stored: list[str]
) -> list[tuple[str, str]]:
    """Check and store each file; return (name, reason) of those refused."""
    definition = attachment_definition()
    refused: list[tuple[str, str]] = []
    for number, file in enumerate(files):
        row = InboundAttachment(
            email=email,
            original_name=file.name,
            size=len(file.content),
            sha256=hashlib.sha256(file.content).hexdigest(),
        )
        try:
            if number >= definition.max_count:
                raise DocumentRefused(
                    _("Only the first %(count)s files of an e-mail are accepted.")
                    % {"count": definition.max_count}
                )
            upload = SimpleUploadedFile(file.name, file.content, file.content_type)
            checked = document_check(upload=upload, definition=definition)
            saved = document_store(checked=checked)
        except DocumentRefused as error:
            row.refusal = str(error)
            refused.append((file.name, str(error)))
        else:
            stored.append(saved.storage_name)
            row.content_type = saved.content_type
            row.size, row.sha256 = saved.size, saved.sha256  # the sanitised copy kept
            row.storage_name = saved.storage_name
            row.scan_result = saved.scan_result
        row.save()
    return refused


def _language(email: InboundEmail) -> str:
    if email.person is not None and email.person.preferred_language:
        return str(email.person.preferred_language)
    return str(settings.LANGUAGE_CODE)


def _acknowledge(email: InboundEmail, *, refused: list[tuple[str, str]]) -> None:
    """The automatic answer: the reference, the centre, the files not accepted. Nothing else."""
    language = _language(email)
    with translation.override(language):
        refused_text = ""
        if refused:
            lines = "\n".join(f"- {name}: {reason}" for name, reason in refused)
            refused_text = "\n\n" + _("These files were not accepted:") + "\n" + lines
        notification_queue_to_contact(
            contact=email.sender,
            channel=MessageChannel.EMAIL,
            event=EventCode.EMAIL_RECEIVED,
            context={
                "reference": email.reference,
                "centre_name": email.centre.name,
                "refused_files": refused_text,
            },
            language=language,
            dedupe_key=f"mailintake:{email.pk}",
            case_reference=email.reference,
        )


def _refuse(email: InboundEmail) -> None:
    """Tell a person their e-mail was too large, and what to do instead."""
    language = _language(email)
    with translation.override(language):
        limit = settings.MAIL_INTAKE_MAX_MESSAGE_BYTES // (1024 * 1024)
        reason = _(
            "it is larger than %(limit)s MB. Send the documents in several smaller e-mails "
            "(PDF, JPEG or PNG files of at most %(file_limit)s MB each), or bring them to the "
            "centre."
        ) % {"limit": limit, "file_limit": settings.MAIL_INTAKE_ATTACHMENT_MAX_KB // 1024}
        notification_queue_to_contact(
            contact=email.sender,
            channel=MessageChannel.EMAIL,
            event=EventCode.EMAIL_REFUSED,
            context={"centre_name": email.centre.name, "reason": reason},
            language=language,
            dedupe_key=f"mailintake:{email.pk}",
        )


# --- A mailbox --------------------------------------------------------------------------------
@dataclass
class ReadReport:
    """What one reading of a mailbox did (no personal data: fit for the scheduler's log)."""

    centre_code: str
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1

    def __str__(self) -> str:
        if self.error:
            return f"{self.centre_code}: {self.error}"
        parts = ", ".join(f"{count} {name}" for name, count in sorted(self.counts.items()))
        return f"{self.centre_code}: {parts or 'nothing new'}"


def _connect(mailbox: Mailbox) -> BaseMailBox:
    timeout = settings.MAIL_INTAKE_TIMEOUT
    box: BaseMailBox
    if mailbox.is_tls:
        box = MailBox(mailbox.host, mailbox.port, timeout=timeout)
    elif mailbox.host in _LOCAL_HOSTS:
        box = MailBoxUnencrypted(mailbox.host, mailbox.port, timeout=timeout)
    else:
        box = MailBoxStartTls(mailbox.host, mailbox.port, timeout=timeout)
    return box.login(mailbox.user, mailbox.password, initial_folder=mailbox.folder)


def mailbox_read(*, mailbox: Mailbox, from_start: bool = False) -> ReadReport:
    """Read the mailbox from its cursor (or from its first message) into the centre's queue."""
    report = ReadReport(centre_code=mailbox.centre_code)
    centre = ServiceCentre.objects.filter(code=mailbox.centre_code).first()
    if centre is None:
        report.error = "no such centre"
        logger.error("MAIL_INTAKE_MAILBOXES names an unknown centre %r", mailbox.centre_code)
        return report
    try:
        with _connect(mailbox) as box:
            _read(box, mailbox=mailbox, centre=centre, from_start=from_start, report=report)
    except (OSError, imaplib.IMAP4.error, UnexpectedCommandStatusError) as error:
        report.error = f"{type(error).__name__}: {error}"
        logger.warning("Could not read the mailbox of %s: %s", mailbox.centre_code, report.error)
    return report


def _read(
    box: BaseMailBox,
    *,
    mailbox: Mailbox,
    centre: ServiceCentre,
    from_start: bool,
    report: ReadReport,
) -> None:
    status = box.folder.status(mailbox.folder, ["UIDVALIDITY"])
    validity = str(status.get("UIDVALIDITY", ""))
    cursor, _created = MailboxCursor.objects.get_or_create(centre=centre)
    start = 1 if from_start or cursor.uid_validity != validity else cursor.last_uid + 1
    uids = [uid for uid in box.uids(f"UID {start}:*") if int(uid) >= start]
    address = mailbox.user.lower() if "@" in mailbox.user else ""
    wanted: list[str] = []
    known = set(
        InboundEmail.objects.filter(centre=centre, uid__gte=start).values_list(
            "message_id", flat=True
        )
    )
    # (An empty `uid_list` would make imap-tools fetch the whole folder.)
    heads = box.fetch(uid_list=uids, headers_only=True, mark_seen=False, bulk=500) if uids else ()
    for head in heads:
        incoming = incoming_from_imap(head, with_files=False)
        if incoming.message_id in known:
            report.add(Outcome.DUPLICATE)
        elif incoming.size > settings.MAIL_INTAKE_MAX_MESSAGE_BYTES:
            # Never downloaded: the headers are enough to answer and to show staff.
            report.add(email_intake(centre=centre, incoming=incoming, mailbox_address=address))
        else:
            wanted.append(str(incoming.uid))
    first_failure: int | None = None
    messages = box.fetch(uid_list=wanted, mark_seen=False, bulk=BATCH) if wanted else iter(())
    while batch := list(itertools.islice(messages, BATCH)):
        # One commit per batch (each e-mail in its own savepoint): a failing e-mail is rolled
        # back alone, and the outbox gets one delivery task per batch.
        with transaction.atomic():
            for message in batch:
                incoming = incoming_from_imap(message)
                try:
                    outcome = email_intake(
                        centre=centre, incoming=incoming, mailbox_address=address
                    )
                except Exception:
                    logger.exception("An e-mail to %s was not kept; retried next time", centre.code)
                    outcome = "failed"
                    first_failure = min(first_failure or incoming.uid, incoming.uid)
                report.add(outcome)
    last = max((int(uid) for uid in uids), default=start - 1)
    if first_failure is not None:
        last = first_failure - 1
    MailboxCursor.objects.filter(pk=cursor.pk).update(
        uid_validity=validity,
        last_uid=max(last, 0) if start == 1 else max(last, cursor.last_uid),
        read_at=timezone.now(),
    )


def mailboxes_read_all(*, from_start: bool = False) -> str:
    """Read every configured mailbox (the scheduled job); one failing never stops the others."""
    reports = [
        mailbox_read(mailbox=mailbox, from_start=from_start) for mailbox in mailboxes_configured()
    ]
    return "; ".join(str(report) for report in reports) or "no mailboxes configured"


# --- Filing an e-mail draft as a case ---------------------------------------------------------
class FilingRefused(Exception):
    """An e-mail draft that cannot be filed as given; the message (translated) says why.
    Nothing was written."""


def email_file_as_case(
    *,
    email: InboundEmail,
    actor: User,
    fin: str,
    document_number: str,
    service_code: str,
    answers: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> Case:
    """A case worker files an e-mail draft of their centre as a case for the person they
    identified (document + FİN), under the reference the sender was already given.

    The e-mail's accepted files (of the whole thread) become the case's documents, in the order
    of the service's documents; the case's contact is the sender's address only when it is the
    person's verified e-mail, else the portal inbox. The identification is audited. An e-mail
    already filed or added to a case is refused, so filing twice makes one case.
    """
    try:
        version = eservice_version_current(code=service_code)
    except EServiceVersion.DoesNotExist:
        raise FilingRefused(_("Choose a service")) from None
    if not version_definition(version).for_staff_on_behalf:
        raise FilingRefused(_("This service is not filed by staff on a person's behalf."))
    try:
        person = person_get_by_fin_and_document(fin=fin.strip(), document_number=document_number)
    except InvalidIdentifier as error:
        raise FilingRefused(" ".join(error.messages)) from None
    audit_record(
        action="email.identify" if person is not None else AuditAction.ACCESS_REFUSED,
        actor=actor,
        actor_role=role_codes(actor_roles(actor)),
        actor_institution=staff_institution(actor),
        person=person,
        obj=email,
        purpose=f"filing e-mail {email.reference} as an application",
        request=request,
    )
    if person is None:
        raise FilingRefused(_("No living person holds a valid document with these numbers."))
    with transaction.atomic():
        locked = InboundEmail.objects.select_for_update().get(pk=email.pk)
        if locked.status != EmailStatus.DRAFT or locked.thread_id is not None:
            raise FilingRefused(_("This e-mail was already filed as an application."))
        thread = [locked, *InboundEmail.objects.filter(thread=locked).order_by("id")]
        verified = bool(person.verified_email) and person.verified_email == locked.sender
        try:
            result = case_submit(
                person=person,
                version=version,
                answers=answers,
                channel=Channel.EMAIL,
                actor=actor,
                centre=locked.centre,
                contact_channel=ContactChannel.EMAIL if verified else ContactChannel.PORTAL,
                contact_value=locked.sender if verified else "",
                idempotency_key=f"mailintake:{locked.pk}",
                documents=_case_documents(version, thread),
                request=request,
                reference=locked.reference,
            )
        except CaseInvalid as error:
            details = [f"{name}: {' '.join(messages)}" for name, messages in error.errors.items()]
            raise FilingRefused(" ".join([str(error), *details])) from None
        except (CaseActionError, DocumentRefused) as error:
            raise FilingRefused(str(error)) from None
        InboundEmail.objects.filter(pk__in=[e.pk for e in thread]).update(case=result.case)
        InboundEmail.objects.filter(pk=locked.pk).update(status=EmailStatus.FILED)
    return result.case


def _case_documents(
    version: EServiceVersion, thread: Iterable[InboundEmail]
) -> list[tuple[str, UploadedFile]]:
    """The accepted files of the e-mails, each under the next of the service's documents
    (required ones first); once every document has a file, further files join the last one."""
    definitions = sorted(version_definition(version).documents, key=lambda d: not d.required)
    if not definitions:
        return []
    files: list[tuple[str, UploadedFile]] = []
    attachments = InboundAttachment.objects.filter(email__in=list(thread)).exclude(storage_name="")
    for number, attachment in enumerate(attachments.order_by("email_id", "id")):
        definition = definitions[min(number, len(definitions) - 1)]
        with default_storage.open(attachment.storage_name, "rb") as stored:
            content = stored.read()
        upload = SimpleUploadedFile(attachment.original_name, content, attachment.content_type)
        files.append((definition.code, upload))
    return files
