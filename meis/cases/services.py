"""Writes of the case engine: submit (idempotent) and the explicit state transitions.

Every function is one transaction that writes its timeline event and its audit event; messages
to the citizen are outbox rows written in the same transaction. Transitions use optimistic
locking: a conditional UPDATE on (id, version, allowed statuses), so of two people acting on the
same version of a case exactly one wins and the other gets `CaseConflict`.

Status machine:
    submitted ─claim→ in_review ─request_information→ awaiting_information ─answer→ in_review
    in_review ─approve→ approved | ─reject→ rejected
    submitted | in_review | awaiting_information ─withdraw→ withdrawn
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meis.accounts.access import actor_roles, staff_institution
from meis.accounts.models import StaffProfile
from meis.accounts.roles import Role
from meis.audit.services import audit_record
from meis.cases import documents as docs
from meis.cases.models import (
    OPEN_STATUSES,
    ApplicationDraft,
    Case,
    CaseDocument,
    CaseEvent,
    CaseStatus,
    Channel,
    ContactChannel,
    InformationRequest,
    ReferenceCounter,
    UsageEvent,
)
from meis.cases.reasons import APPEAL_TEXT, refusal_reasons
from meis.catalog.definitions import DocumentDefinition
from meis.catalog.forms import application_form_class
from meis.catalog.models import EServiceVersion
from meis.catalog.selectors import version_definition
from meis.centres.models import ServiceCentre
from meis.notifications.events import EventCode
from meis.notifications.models import Channel as MessageChannel
from meis.notifications.services import notification_queue, notification_queue_to_contact
from meis.registry.models import Person
from meis.workcalendar.arithmetic import Suspension
from meis.workcalendar.selectors import deadline_due_on

Actor = User | AnonymousUser
REFERENCE_SEQUENCE = "cases_reference"
WORKER_ROLES = frozenset({Role.CASE_WORKER, Role.CENTRE_HEAD, Role.ADMINISTRATOR})


class CaseActionError(Exception):
    """An action that cannot be done; the message (translated) says why and what to do."""


class CaseInvalid(CaseActionError):
    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        super().__init__(_("The application has errors."))
        self.errors = dict(errors)


class CaseConflict(CaseActionError):
    """Someone else changed the case since the page was opened (optimistic lock lost)."""


class IllegalTransition(CaseActionError):
    pass


class IdempotencyKeyReused(CaseActionError):
    pass


@dataclass(frozen=True)
class SubmitResult:
    case: Case
    created: bool


def subsystem_code(catalogue_subsystem: str) -> str:
    """The catalogue's subsystem slug as the access roles name it (targeted-assistance → _)."""
    return catalogue_subsystem.replace("-", "_")


def _role_of(actor: Actor) -> str:
    return ",".join(sorted(actor_roles(actor))) or "anonymous"


# --- References ------------------------------------------------------------------------------
def reference_next(*, year: int) -> str:
    """MEIS-YYYY-NNNNNNN: a PostgreSQL sequence (no row lock held), a counter row on SQLite.

    Numbers are unique and increasing; a rolled-back submission leaves a gap (by design).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [REFERENCE_SEQUENCE])
            number = int(cursor.fetchone()[0])
    else:
        ReferenceCounter.objects.get_or_create(year=year)
        ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
        number = ReferenceCounter.objects.values_list("last", flat=True).get(year=year)
    return f"MEIS-{year}-{number:07d}"


# --- Answers and documents -------------------------------------------------------------------
_MONEY_TEXT = re.compile(r"^\s*-?[\d ]{1,15}(?:[.,]\d{1,6})?\s*$")


def answers_safe(*, version: EServiceVersion, data: Mapping[str, Any]) -> dict[str, Any]:
    """The raw answers with any money text the form's Decimal parser would choke on (1e9999)
    replaced by a plain invalid value, so the field shows its usual error instead of a 500."""
    safe = {key: data.get(key) for key in data}
    for field in version_definition(version).fields:
        value = safe.get(field.name)
        is_money_text = field.type == "money" and isinstance(value, str) and value.strip()
        if is_money_text and not _MONEY_TEXT.match(str(value)):
            safe[field.name] = "?"
    return safe


def answers_clean(*, version: EServiceVersion, data: Mapping[str, Any]) -> dict[str, Any]:
    """The answers validated by the version's form, as JSON values; CaseInvalid otherwise."""
    form = application_form_class(version_definition(version).fields)(
        data=answers_safe(version=version, data=data)
    )
    if not form.is_valid():
        raise CaseInvalid({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    encoded: dict[str, Any] = json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))
    return encoded


def document_definition(version: EServiceVersion, code: str) -> DocumentDefinition:
    for definition in version_definition(version).documents:
        if definition.code == code:
            return definition
    raise CaseActionError(_("This service does not take that document."))


def document_save(
    *,
    upload: UploadedFile,
    definition: DocumentDefinition,
    actor: Actor,
    draft: ApplicationDraft | None = None,
    case: Case | None = None,
    information_request: InformationRequest | None = None,
) -> CaseDocument:
    """Check, scan and store one upload and write its row (raises DocumentRefused)."""
    checked = docs.document_check(upload=upload, definition=definition)
    stored = docs.document_store(checked=checked)
    try:
        with transaction.atomic():
            return CaseDocument.objects.create(
                draft=draft,
                case=case,
                information_request=information_request,
                document_code=definition.code,
                original_name=(upload.name or "document")[-255:],
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                storage_name=stored.storage_name,
                scan_result=stored.scan_result,
                uploaded_by=actor if isinstance(actor, User) else None,
            )
    except Exception:
        docs.stored_files_delete([stored.storage_name])
        raise


def _missing_documents(version: EServiceVersion, codes: set[str]) -> dict[str, list[str]]:
    missing = {}
    for definition in version_definition(version).documents:
        if definition.required and definition.code not in codes:
            missing[definition.code] = [_("Upload this document.")]
    return missing


# --- Submit ----------------------------------------------------------------------------------
def case_submit(
    *,
    person: Person,
    version: EServiceVersion,
    answers: Mapping[str, Any],
    channel: str,
    actor: Actor,
    centre: ServiceCentre,
    contact_channel: str,
    contact_value: str,
    idempotency_key: str,
    documents: Sequence[tuple[str, UploadedFile]] = (),
    draft: ApplicationDraft | None = None,
    request: HttpRequest | None = None,
) -> SubmitResult:
    """File an application; the same idempotency key again returns the case already made.

    One transaction: the case, its documents, the timeline event, the audit event, the usage
    event and the outbox message (the pre-check task row). Answers are validated by the
    version's form whichever channel the application came through.
    """
    existing = Case.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _existing(existing, person)
    cleaned = answers_clean(version=version, data=answers)
    stored: list[str] = []
    try:
        with transaction.atomic():
            case = _case_create(
                person=person,
                version=version,
                answers=cleaned,
                channel=channel,
                actor=actor,
                centre=centre,
                contact_channel=contact_channel,
                contact_value=contact_value,
                idempotency_key=idempotency_key,
            )
            codes = set()
            if draft is not None:
                codes |= set(draft.documents.values_list("document_code", flat=True))
                draft.documents.update(case=case)
                ApplicationDraft.objects.filter(pk=draft.pk).update(case=case)
            for code, upload in documents:
                document = document_save(
                    upload=upload,
                    definition=document_definition(version, code),
                    actor=actor,
                    case=case,
                )
                stored.append(document.storage_name)
                codes.add(code)
            missing = _missing_documents(version, codes)
            if missing:
                raise CaseInvalid(missing)
            _submitted_record(case, actor=actor, request=request)
    except IntegrityError:
        docs.stored_files_delete(stored)
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _existing(existing, person)
    except Exception:
        docs.stored_files_delete(stored)
        raise
    return SubmitResult(case=case, created=True)


def _existing(case: Case, person: Person) -> SubmitResult:
    if case.person_id != person.pk:
        raise IdempotencyKeyReused(_("This request key was already used for another application."))
    return SubmitResult(case=case, created=False)


def _case_create(
    *,
    person: Person,
    version: EServiceVersion,
    answers: dict[str, Any],
    channel: str,
    actor: Actor,
    centre: ServiceCentre,
    contact_channel: str,
    contact_value: str,
    idempotency_key: str,
) -> Case:
    definition = version_definition(version)
    now = timezone.now()
    today = timezone.localdate(now)
    working_days = definition.decision_working_days
    return Case.objects.create(
        reference=reference_next(year=today.year),
        idempotency_key=idempotency_key,
        channel=Channel(channel),
        person=person,
        acting_user=actor if isinstance(actor, User) else None,
        service_version=version,
        subsystem=subsystem_code(definition.subsystem),
        centre=centre,
        answers=answers,
        language=person.preferred_language or "az",
        contact_channel=ContactChannel(contact_channel),
        contact_value=contact_value if contact_channel != ContactChannel.PORTAL else "",
        submitted_at=now,
        submitted_on=today,
        decision_working_days=working_days,
        due_on=deadline_due_on(submitted_on=today, working_days=working_days)
        if working_days
        else None,
    )


def _submitted_record(case: Case, *, actor: Actor, request: HttpRequest | None) -> None:
    from meis.cases.tasks import case_precheck

    _event(case, CaseEvent.Kind.SUBMITTED, actor=actor, status_after=CaseStatus.SUBMITTED)
    audit_record(
        action="case.submit",
        actor=actor,
        actor_role=_role_of(actor),
        actor_institution=staff_institution(actor),
        person=case.person,
        obj=case,
        purpose=f"{case.reference} via {case.channel}",
        request=request,
        details={"reference": case.reference, "channel": case.channel},
    )
    UsageEvent.objects.create(
        service_code=case.service_version.definition["code"],
        channel=case.channel,
        kind="submitted",
        occurred_at=case.submitted_at,
    )
    # The outbox message: a task row written in this transaction (gone if it rolls back).
    case_precheck.enqueue(case.pk)
    _received_notify(case)


def _received_notify(case: Case) -> None:
    """The acknowledgement: reference and legal due date, to the portal and the contact given
    (once per case, whichever channel filed it)."""
    with translation.override(case.person.preferred_language or "az"):
        _citizen_notify(
            case,
            event=EventCode.CASE_RECEIVED,
            dedupe_key=f"case:{case.reference}:received",
            due_on=dateformat.format(case.due_on, "j E Y") if case.due_on else "—",
        )


def _citizen_notify(case: Case, *, event: EventCode, dedupe_key: str, **context: str) -> None:
    """Queue `event` about `case` to the citizen's portal inbox and verified contacts, with the
    context every case message shares; call it inside the citizen's language."""
    notification_queue(
        person=case.person,
        event=event,
        context={
            "name": case.person.first_name,
            "case_reference": case.reference,
            "service_name": _service_name(case),
            "portal_url": reverse("cases:case_detail", kwargs={"reference": case.reference}),
            **context,
        },
        channel_preferences=_channels(case),
        dedupe_key=dedupe_key,
        case_reference=case.reference,
    )


def _event(
    case: Case,
    kind: str,
    *,
    actor: Actor | None,
    status_after: str,
    note: str = "",
    is_internal: bool = False,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        occurred_at=timezone.now(),
        actor=actor if isinstance(actor, User) else None,
        actor_role=_role_of(actor) if actor is not None else "system",
        status_after=status_after,
        note=note,
        is_internal=is_internal,
    )


# --- Transitions -----------------------------------------------------------------------------
def _transition(
    *,
    case: Case,
    expected_version: int,
    allowed: Sequence[str],
    status: str,
    **fields: Any,
) -> Case:
    """Conditional UPDATE: wins only if nobody changed the case since `expected_version`."""
    updated = Case.objects.filter(pk=case.pk, version=expected_version, status__in=allowed).update(
        status=status, version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    current = Case.objects.get(pk=case.pk)
    if updated == 0:
        if current.version != expected_version:
            raise CaseConflict(
                _(
                    "Someone else changed this case while you were looking at it. "
                    "Check the case again and repeat your action if it is still needed."
                )
            )
        raise IllegalTransition(
            _("This action is not possible while the case is “%(status)s”.")
            % {"status": current.get_status_display()}
        )
    return current


def _require_worker(actor: Actor, case: Case, *, must_be_assigned: bool = True) -> None:
    roles = actor_roles(actor)
    if not roles & WORKER_ROLES:
        raise CaseActionError(_("Only case workers can do this."))
    if Role.CENTRE_HEAD in roles or Role.ADMINISTRATOR in roles:
        return
    if must_be_assigned and case.assigned_to_id != actor.pk:
        raise CaseActionError(_("Take the case first: it is not assigned to you."))


def _audit(
    case: Case, action: str, actor: Actor, request: HttpRequest | None, **details: Any
) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=_role_of(actor),
        actor_institution=staff_institution(actor),
        person=case.person,
        obj=case,
        purpose=case.reference,
        request=request,
        details={"reference": case.reference, **details},
    )


@transaction.atomic
def case_claim(
    *, case: Case, actor: Actor, expected_version: int, request: HttpRequest | None = None
) -> Case:
    """A case worker takes a received case: it becomes theirs and is being reviewed."""
    _require_worker(actor, case, must_be_assigned=False)
    case = _transition(
        case=case,
        expected_version=expected_version,
        allowed=[CaseStatus.SUBMITTED],
        status=CaseStatus.IN_REVIEW,
        assigned_to=actor,
    )
    _event(case, CaseEvent.Kind.CLAIMED, actor=actor, status_after=case.status)
    _audit(case, "case.claim", actor, request)
    return case


@transaction.atomic
def case_assign(
    *,
    case: Case,
    actor: Actor,
    assignee: User,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    """The centre head assigns or reassigns an open case to a case worker of the centre."""
    if not actor_roles(actor) & {Role.CENTRE_HEAD, Role.ADMINISTRATOR}:
        raise CaseActionError(_("Only the head of the centre can assign cases."))
    profile = StaffProfile.objects.filter(user=assignee).first()
    if profile is None or profile.centre_id != case.centre_id:
        raise CaseActionError(_("Choose a case worker of this centre."))
    status = CaseStatus.IN_REVIEW if case.status == CaseStatus.SUBMITTED else case.status
    case = _transition(
        case=case,
        expected_version=expected_version,
        allowed=OPEN_STATUSES,
        status=status,
        assigned_to=assignee,
    )
    _event(
        case,
        CaseEvent.Kind.ASSIGNED,
        actor=actor,
        status_after=case.status,
        note=assignee.get_full_name() or assignee.username,
        is_internal=True,
    )
    _audit(case, "case.assign", actor, request, assignee=assignee.pk)
    return case


def _suspensions(case: Case) -> list[Suspension]:
    return [
        Suspension(r.starts_on, r.ends_on)
        for r in InformationRequest.objects.filter(case=case).order_by("starts_on")
    ]


def _due_on(case: Case) -> date | None:
    if not case.decision_working_days:
        return None
    return deadline_due_on(
        submitted_on=case.submitted_on,
        working_days=case.decision_working_days,
        suspensions=_suspensions(case),
    )


@transaction.atomic
def case_request_information(
    *,
    case: Case,
    actor: Actor,
    text: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    """Ask the citizen for more information: the clock stops and the citizen is notified."""
    _require_worker(actor, case)
    if not text.strip():
        raise CaseActionError(_("Enter what information the applicant must provide."))
    case = _transition(
        case=case,
        expected_version=expected_version,
        allowed=[CaseStatus.IN_REVIEW],
        status=CaseStatus.AWAITING_INFORMATION,
        due_on=None,
    )
    now = timezone.now()
    assert isinstance(actor, User)  # noqa: S101 — _require_worker refused anyone else
    InformationRequest.objects.create(
        case=case,
        requested_text=text.strip(),
        requested_by=actor,
        requested_at=now,
        starts_on=timezone.localdate(now),
    )
    _event(
        case, CaseEvent.Kind.INFORMATION_REQUESTED, actor=actor, status_after=case.status, note=text
    )
    _audit(case, "case.request_information", actor, request)
    with translation.override(case.person.preferred_language or "az"):
        _citizen_notify(
            case,
            event=EventCode.INFORMATION_REQUESTED,
            dedupe_key=f"case:{case.reference}:information:{case.version}",
            requested_information=text.strip(),
            due_on="",
        )
    return case


@transaction.atomic
def case_answer(
    *,
    case: Case,
    actor: Actor,
    text: str,
    files: Sequence[UploadedFile],
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    """The citizen answers a request with text and files: the clock restarts today."""
    if not text.strip() and not files:
        raise CaseActionError(_("Enter your answer or upload a file."))
    open_request = InformationRequest.objects.filter(case=case, ends_on__isnull=True).first()
    if open_request is None:
        raise IllegalTransition(_("Nothing is waiting for your answer on this case."))
    today = timezone.localdate()
    InformationRequest.objects.filter(pk=open_request.pk).update(
        ends_on=today, answer_text=text.strip(), answered_at=timezone.now()
    )
    case = _transition(
        case=case,
        expected_version=expected_version,
        allowed=[CaseStatus.AWAITING_INFORMATION],
        status=CaseStatus.IN_REVIEW,
    )
    Case.objects.filter(pk=case.pk).update(due_on=_due_on(case))
    definition = DocumentDefinition(
        code="additional",
        name={"az": "Əlavə sənəd", "en": "Additional document", "ru": "Дополнительный документ"},
        required=False,
        content_types=("pdf", "jpeg", "png"),
        max_size_kb=max(
            (d.max_size_kb for d in version_definition(case.service_version).documents),
            default=5120,
        ),
        max_count=5,
    )
    for upload in files[: definition.max_count]:
        document_save(
            upload=upload,
            definition=definition,
            actor=actor,
            case=case,
            information_request=open_request,
        )
    _event(
        case, CaseEvent.Kind.INFORMATION_PROVIDED, actor=actor, status_after=case.status, note=text
    )
    _audit(case, "case.answer", actor, request, files=len(files))
    case.refresh_from_db()
    return case


def _decide(
    *,
    case: Case,
    actor: Actor,
    status: str,
    reason: str,
    note: str,
    expected_version: int,
    request: HttpRequest | None,
) -> Case:
    _require_worker(actor, case)
    case = _transition(
        case=case,
        expected_version=expected_version,
        allowed=[CaseStatus.IN_REVIEW],
        status=status,
        decided_at=timezone.now(),
        decision_reason=reason,
        decision_note=note.strip(),
    )
    kind = CaseEvent.Kind.APPROVED if status == CaseStatus.APPROVED else CaseEvent.Kind.REJECTED
    # The timeline keeps the decision as the citizen was told it: in their language, not the
    # case worker's.
    with translation.override(case.person.preferred_language or "az"):
        citizen_text = decision_text(case)
    _event(case, kind, actor=actor, status_after=status, note=citizen_text)
    _audit(case, f"case.{status}", actor, request, reason=reason)
    _decision_notify(case)
    return case


@transaction.atomic
def case_approve(
    *,
    case: Case,
    actor: Actor,
    expected_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    return _decide(
        case=case,
        actor=actor,
        status=CaseStatus.APPROVED,
        reason="",
        note=note,
        expected_version=expected_version,
        request=request,
    )


@transaction.atomic
def case_reject(
    *,
    case: Case,
    actor: Actor,
    reason: str,
    expected_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Refuse with one of the service's legal reasons (see `reasons.refusal_reasons`)."""
    if reason not in refusal_reasons(case.service_version.definition["code"]):
        raise CaseActionError(_("Choose the legal reason for the refusal."))
    return _decide(
        case=case,
        actor=actor,
        status=CaseStatus.REJECTED,
        reason=reason,
        note=note,
        expected_version=expected_version,
        request=request,
    )


@transaction.atomic
def case_withdraw(
    *,
    case: Case,
    actor: Actor,
    expected_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Withdraw on the citizen's request (by the citizen, or a worker recording their request)."""
    from meis.accounts.access import citizen_person

    own = citizen_person(actor)
    if own is None or own.pk != case.person_id:
        _require_worker(actor, case, must_be_assigned=False)
    case = _transition(
        case=case,
        expected_version=expected_version,
        allowed=OPEN_STATUSES,
        status=CaseStatus.WITHDRAWN,
        decided_at=timezone.now(),
        due_on=None,
    )
    InformationRequest.objects.filter(case=case, ends_on__isnull=True).update(
        ends_on=timezone.localdate()
    )
    _event(case, CaseEvent.Kind.WITHDRAWN, actor=actor, status_after=case.status, note=note)
    _audit(case, "case.withdraw", actor, request)
    return case


# --- Decision delivery -----------------------------------------------------------------------
def _service_name(case: Case) -> str:
    from meis.catalog.definitions import text_in

    return text_in(case.service_version.definition["name"])


def decision_text(case: Case) -> str:
    """The decision as the citizen reads it, in the active language: outcome, reason, appeal."""
    if case.status == CaseStatus.APPROVED:
        text = _("Your application was approved.")
    else:
        reasons = refusal_reasons(case.service_version.definition["code"])
        reason = reasons.get(case.decision_reason, gettext_lazy("No reason recorded."))
        text = _("Your application was refused. Legal reason: %(reason)s") % {"reason": reason}
    if case.decision_note:
        text += " " + case.decision_note
    if case.status == CaseStatus.REJECTED:
        text += " " + str(APPEAL_TEXT)
    return text


def _channels(case: Case) -> list[str]:
    channels = [MessageChannel.PORTAL.value]
    verified = {
        ContactChannel.SMS: case.person.verified_phone,
        ContactChannel.EMAIL: case.person.verified_email,
    }.get(ContactChannel(case.contact_channel))
    if case.contact_channel != ContactChannel.PORTAL and verified == case.contact_value:
        channels.append(case.contact_channel)
    return channels


def _decision_notify(case: Case) -> None:
    """Queue the decision in the citizen's language to the portal and the contact they gave."""
    with translation.override(case.person.preferred_language or "az"):
        context = {
            "name": case.person.first_name,
            "case_reference": case.reference,
            "service_name": _service_name(case),
            "decision": decision_text(case),
            "portal_url": reverse("cases:case_detail", kwargs={"reference": case.reference}),
        }
        channels = _channels(case)
        dedupe_key = f"case:{case.reference}:decision"
        notification_queue(
            person=case.person,
            event=EventCode.CASE_DECISION,
            context=context,
            channel_preferences=channels,
            dedupe_key=dedupe_key,
            case_reference=case.reference,
        )
        if case.contact_channel != ContactChannel.PORTAL and case.contact_channel not in channels:
            # A contact that is not (or no longer) the person's verified one: the outbox
            # refuses it permanently unless it was verified, and the refusal is on the timeline.
            notification_queue_to_contact(
                contact=case.contact_value,
                channel=case.contact_channel,
                event=EventCode.CASE_DECISION,
                context=context,
                language=case.person.preferred_language or "az",
                dedupe_key=dedupe_key,
                person=case.person,
                contact_verification=False,
                case_reference=case.reference,
            )


# --- Pre-check and escalation ----------------------------------------------------------------
def case_precheck_store(*, case_id: int) -> str:
    """Evaluate the service's handler on the case and store its pre-check (idempotent)."""
    from meis.cases.selectors import case_pre_check

    case = Case.objects.select_related("service_version").get(pk=case_id)
    Case.objects.filter(pk=case.pk).update(pre_check=case_pre_check(case))
    return case.reference


def cases_escalate_breached(*, on: date | None = None) -> int:
    """Mark open cases past their due date as escalated to the centre head (once per case)."""
    today = on or timezone.localdate()
    count = 0
    for case in Case.objects.filter(
        status__in=OPEN_STATUSES, due_on__lt=today, escalated_at__isnull=True
    ).select_related("person"):
        with transaction.atomic():
            if Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            ):
                _event(
                    case,
                    CaseEvent.Kind.ESCALATED,
                    actor=None,
                    status_after=case.status,
                    is_internal=True,
                )
                audit_record(
                    action="case.escalate",
                    actor=None,
                    actor_role="system",
                    person=case.person,
                    obj=case,
                    purpose=case.reference,
                    details={"due_on": str(case.due_on)},
                )
                count += 1
    return count
