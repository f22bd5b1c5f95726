"""Writes of an application being filled in: drafts, their documents, the contact for the result.

A draft belongs to the person applying and the user filling it in (the citizen, or an operator
acting for a caller). Its key is the idempotency key of the case it becomes, so submitting the
same draft twice (a double click, a retried request) makes one case.

A contact for the result that is not the person's verified one gets a one-time code; only after
the code is entered is the contact used — and recorded as verified on the person's record, so
the outbox may send the decision there.

A new draft of a service whose awards run for a fixed term and are renewed by applying again
(targeted assistance, `meis.awards.models.RENEWABLE_KINDS`) starts with the answers of the
person's last application for it (`draft_prefill_from_last_case`): the renewal reminder and the
awards page link to the ordinary application form, and the family checks and corrects.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from meis.accounts import throttle
from meis.accounts.services import code_generate, code_hash
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.awards.models import RENEWABLE_KINDS, SERVICE_CODES
from meis.cases.models import ApplicationDraft, Case, CaseDocument, Channel, ContactChannel
from meis.cases.services.answers import document_definition, document_save
from meis.cases.services.documents import stored_files_delete
from meis.cases.services.errors import CaseActionError
from meis.cases.services.submit import SubmitResult, case_submit
from meis.catalog.models import EServiceVersion
from meis.catalog.selectors import version_fields
from meis.core.identifiers import InvalidIdentifier, normalize_mobile_phone
from meis.notifications.events import EventCode
from meis.notifications.services import notification_queue_to_contact
from meis.registry.models import Person

CODE_MINUTES = 10
CODE_MAX_ATTEMPTS = 5


def draft_start(
    *, person: Person, actor: User, version: EServiceVersion, channel: str = Channel.PORTAL
) -> ApplicationDraft:
    """The open draft of this person and user for the service, or a new one."""
    draft = (
        ApplicationDraft.objects.filter(
            person=person,
            acting_user=actor,
            service_version__service_id=version.service_id,
            case__isnull=True,
        )
        .select_related("centre")
        .order_by("-updated_at")
        .first()
    )
    if draft is not None:
        return _holding(draft, person=person, actor=actor, version=version)
    contact_channel, contact_value = _default_contact(person)
    draft = ApplicationDraft.objects.create(
        person=person,
        acting_user=actor,
        channel=channel,
        service_version=version,
        contact_channel=contact_channel,
        contact_value=contact_value,
    )
    if version.service.code in _RENEWED_SERVICES:
        draft_prefill_from_last_case(draft=draft)
    return draft


def _holding(
    draft: ApplicationDraft, *, person: Person, actor: User, version: EServiceVersion
) -> ApplicationDraft:
    """The draft with the person, user and version the caller already holds in place of its
    own lazy reads of them (the same rows: the draft was found by them)."""
    draft.person = person
    draft.acting_user = actor
    if draft.service_version_id == version.pk:  # an older version's draft reads its own
        draft.service_version = version
    return draft


# The e-services whose awards the family renews by applying again.
_RENEWED_SERVICES = frozenset(SERVICE_CODES[kind] for kind in RENEWABLE_KINDS)


def draft_prefill_from_last_case(*, draft: ApplicationDraft) -> bool:
    """Fill an empty draft with the answers of the person's last case of the same service
    (those the draft's version still asks); True when it found one to copy from."""
    if draft.answers:
        return False
    last = (
        Case.objects.filter(
            person_id=draft.person_id,
            service_version__service_id=draft.service_version.service_id,
        )
        .order_by("-submitted_at", "-id")
        .first()
    )
    if last is None or not last.answers:
        return False
    asked = {field.name: field.type for field in version_fields(draft.service_version)}
    answers = {
        name: _as_typed(asked[name], value)
        for name, value in last.answers.items()
        if name in asked and value is not None
    }
    if not answers:
        return False
    draft_answers_save(draft=draft, answers=answers)
    return True


def _as_typed(field_type: str, value: Any) -> str:
    """A case's cleaned answer as the applicant would type it into the form again."""
    if field_type == "boolean":
        return "yes" if value else "no"
    if field_type == "money":
        whole, qepik = divmod(int(value), 100)
        return f"{whole}.{qepik:02d}"
    return str(value)


def _default_contact(person: Person) -> tuple[str, str]:
    if person.verified_phone:
        return ContactChannel.SMS, person.verified_phone
    if person.verified_email:
        return ContactChannel.EMAIL, person.verified_email
    return ContactChannel.PORTAL, ""


def draft_answers_save(*, draft: ApplicationDraft, answers: dict[str, Any]) -> None:
    """Keep the answers as typed, valid or not. A NUL, which PostgreSQL's JSON cannot hold
    (issue 22: a 500), is kept as U+FFFD; the form refuses it with its own message."""
    answers = {
        name: value.replace("\x00", "\ufffd") if isinstance(value, str) else value
        for name, value in answers.items()
    }
    ApplicationDraft.objects.filter(pk=draft.pk).update(answers=answers, updated_at=timezone.now())
    draft.answers = answers


def draft_centre_save(*, draft: ApplicationDraft, centre_id: int) -> None:
    ApplicationDraft.objects.filter(pk=draft.pk).update(centre_id=centre_id)
    draft.centre_id = centre_id


def draft_document_add(
    *, draft: ApplicationDraft, code: str, upload: UploadedFile, actor: User
) -> CaseDocument:
    """Check and store one upload for the draft (DocumentRefused or CaseActionError otherwise)."""
    definition = document_definition(draft.service_version, code)
    if draft.documents.filter(document_code=code).count() >= definition.max_count:
        raise CaseActionError(
            _("You can upload at most %(count)s file(s) for this document. Remove one first.")
            % {"count": definition.max_count}
        )
    return document_save(upload=upload, definition=definition, actor=actor, draft=draft)


def draft_document_remove(*, draft: ApplicationDraft, public_id: str) -> None:
    """Remove one of the draft's documents; an id that names none (not even a UUID, as a
    hostile form can send) removes nothing."""
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        return
    document = draft.documents.filter(public_id=key, case__isnull=True).first()
    if document is not None:
        name = document.storage_name
        document.delete()
        transaction.on_commit(lambda: stored_files_delete([name]))


def _normalized(channel: str, value: str) -> str:
    value = value.strip()
    if channel == ContactChannel.SMS:
        try:
            return normalize_mobile_phone(value)
        except InvalidIdentifier as error:
            raise CaseActionError(str(error.messages[0])) from None
    if channel == ContactChannel.EMAIL:
        from django.core.validators import validate_email

        try:
            validate_email(value)
        except Exception:
            raise CaseActionError(_("Enter an e-mail address like name@example.az.")) from None
        return value.lower()
    return ""


def draft_contact_set(
    *, draft: ApplicationDraft, channel: str, value: str, address: str = ""
) -> bool:
    """Set the contact for the result; True when a one-time code was sent to verify it first.

    Codes are limited per applicant, per destination (the phone or e-mail written to) and per
    client `address`, so the form cannot be used to flood someone's phone.
    """
    if channel not in ContactChannel.values:
        raise CaseActionError(_("Choose how you want to receive the result."))
    contact = _normalized(channel, value)
    person = draft.person
    verified = {
        ContactChannel.SMS: person.verified_phone,
        ContactChannel.EMAIL: person.verified_email,
    }
    if channel == ContactChannel.PORTAL or verified.get(ContactChannel(channel)) == contact:
        _contact_set(draft, channel, contact, for_case_only=False)
        return False
    _contact_codes_take(person, contact, address)
    code = code_generate()
    salt = secrets.token_hex(8)
    with transaction.atomic():
        ApplicationDraft.objects.filter(pk=draft.pk).update(
            contact_pending=f"{channel}:{contact}",
            code_salt=salt,
            code_hash=code_hash(salt=salt, code=code),
            code_expires_at=timezone.now() + timedelta(minutes=CODE_MINUTES),
            code_attempts=0,
        )
        notification_queue_to_contact(
            contact=contact,
            channel=channel,
            event=EventCode.ONE_TIME_CODE,
            context={"code": code, "minutes_valid": CODE_MINUTES},
            language=person.preferred_language or "az",
            dedupe_key=f"draft:{draft.key}:contact:{salt}",
            person=person,
            contact_verification=True,
        )
    draft.refresh_from_db()
    return True


def _contact_codes_take(person: Person, contact: str, address: str) -> None:
    """CaseActionError when a limit on contact codes is reached (each one taken in turn)."""
    for limit, value in (
        (throttle.contact_codes_per_address(), address or "unknown"),
        (throttle.contact_codes_per_person(), person.fin),
        (throttle.contact_codes_per_destination(), contact.lower()),
    ):
        blocked = throttle.throttle_take(limit, value)
        if blocked:
            raise CaseActionError(
                _("Too many codes were requested. Try again after %(time)s.")
                % {"time": time_format(timezone.localtime(blocked), "H:i")}
            )


def draft_contact_verify(
    *, draft: ApplicationDraft, code: str, actor: User, request: HttpRequest | None
) -> None:
    """Check the one-time code; on success the new contact is verified and used for the result."""
    if not draft.contact_pending or not draft.code_hash:
        raise CaseActionError(_("There is no contact waiting for a code. Enter the contact again."))
    if draft.code_expires_at is None or draft.code_expires_at < timezone.now():
        raise CaseActionError(_("The code has expired. Ask for a new code."))
    if draft.code_attempts >= CODE_MAX_ATTEMPTS:
        raise CaseActionError(_("Too many wrong codes. Ask for a new code."))
    if not constant_time_compare(
        code_hash(salt=draft.code_salt, code=code.strip()), draft.code_hash
    ):
        ApplicationDraft.objects.filter(pk=draft.pk).update(code_attempts=draft.code_attempts + 1)
        raise CaseActionError(_("The code is not correct. Check the message and try again."))
    channel, contact = draft.contact_pending.split(":", 1)
    if draft.channel not in PERSON_CONTACT_CHANNELS:
        _contact_for_case_only(draft, channel, contact, actor=actor, request=request)
        return
    with transaction.atomic():
        field = "verified_phone" if channel == ContactChannel.SMS else "verified_email"
        Person.objects.filter(pk=draft.person_id).update(**{field: contact})
        audit_record(
            action=AuditAction.PERSON_CHANGE,
            actor=actor,
            actor_role="citizen" if draft.channel == Channel.PORTAL else draft.channel,
            person=draft.person,
            obj=draft.person,
            purpose="contact verified by one-time code while applying",
            request=request,
            details={"field": field},
        )
        _contact_set(draft, channel, contact, for_case_only=False)
    draft.refresh_from_db()
    draft.person.refresh_from_db()


# Where a contact verified by its code becomes the person's own verified contact (their sign-in
# codes go there): the portal, where the person signed in themselves, and a centre's desk, where
# staff checked the person's identity document in person (audited). Through the 142 call centre,
# e-mail or the API an identity-card number and FİN prove nothing (docs/adr threat model): the
# contact serves that application's result only.
PERSON_CONTACT_CHANNELS = frozenset({Channel.PORTAL, Channel.CENTRE_DESK})


def _contact_for_case_only(
    draft: ApplicationDraft, channel: str, contact: str, *, actor: User, request: HttpRequest | None
) -> None:
    with transaction.atomic():
        audit_record(
            action=AuditAction.OTHER,
            actor=actor,
            actor_role=draft.channel,
            person=draft.person,
            obj=draft.person,
            purpose="contact verified by one-time code for this application only",
            request=request,
            details={"channel": channel, "draft": str(draft.key)},
        )
        _contact_set(draft, channel, contact, for_case_only=True)
    draft.refresh_from_db()


def _contact_set(
    draft: ApplicationDraft, channel: str, contact: str, *, for_case_only: bool
) -> None:
    """The draft's contact from now on; any pending code is forgotten."""
    written = {
        "contact_channel": channel,
        "contact_value": contact,
        "contact_pending": "",
        "code_hash": "",
        "contact_for_case_only": for_case_only,
    }
    ApplicationDraft.objects.filter(pk=draft.pk).update(**written)
    for name, value in written.items():
        setattr(draft, name, value)


def draft_submit(
    *, draft: ApplicationDraft, actor: User, request: HttpRequest | None
) -> SubmitResult:
    """Submit the draft as a case (idempotent by the draft's key)."""
    if draft.case_id is not None:
        return SubmitResult(case=draft.case, created=False)  # type: ignore[arg-type]
    if draft.centre is None:
        raise CaseActionError(_("Choose the service centre that will handle your application."))
    return case_submit(
        person=draft.person,
        version=draft.service_version,
        answers=draft.answers,
        channel=draft.channel,
        actor=actor,
        centre=draft.centre,
        contact_channel=draft.contact_channel or ContactChannel.PORTAL,
        contact_value=draft.contact_value,
        contact_for_case_only=draft.contact_for_case_only,
        idempotency_key=str(draft.key),
        draft=draft,
        request=request,
    )
