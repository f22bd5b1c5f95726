"""Submit: file an application as a case, idempotently, whichever channel it came through."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.access import staff_institution
from meis.audit.services import audit_record
from meis.cases.models import (
    ApplicationDraft,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    ContactChannel,
)
from meis.cases.selectors import open_case_blocking
from meis.cases.services import documents as docs
from meis.cases.services.answers import (
    answers_clean,
    document_definition,
    document_save,
    documents_missing,
)
from meis.cases.services.common import Actor, case_usage, event_add, role_of, subsystem_code
from meis.cases.services.delivery import received_notify
from meis.cases.services.errors import CaseInvalid, IdempotencyKeyReused, OneAtATime
from meis.cases.services.references import reference_next
from meis.catalog.definitions import ServiceDefinition
from meis.catalog.models import EServiceVersion
from meis.catalog.selectors import version_definition
from meis.centres.models import ServiceCentre
from meis.registry.models import Household, Person
from meis.usage.models import UsageKind
from meis.workcalendar.selectors import deadline_due_on


@dataclass(frozen=True)
class SubmitResult:
    case: Case
    created: bool


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
    contact_for_case_only: bool = False,
    draft: ApplicationDraft | None = None,
    request: HttpRequest | None = None,
    reference: str = "",
) -> SubmitResult:
    """File an application; the same idempotency key again returns the case already made.

    `reference` is one reserved earlier from the same sequence (`reference_next`) and already
    given to the applicant, as the e-mail channel does; by default a new one is taken.

    One transaction: the case, its documents, the timeline event, the audit event, the usage
    event and the outbox message (the pre-check task row). Answers are validated by the
    version's form whichever channel the application came through, and the service's audience
    is checked against the channel and the actor (`AudienceRefused`, audited) before anything.
    """
    from meis.cases.access import application_audience_check  # access imports this package

    application_audience_check(
        definition=version_definition(version),
        channel=channel,
        actor=actor,
        person=person,
        request=request,
    )
    existing = Case.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _existing(existing, person)
    cleaned = answers_clean(version=version, data=answers)
    stored: list[str] = []
    try:
        with transaction.atomic():
            earlier = _one_at_a_time_check(person, version_definition(version), idempotency_key)
            if earlier is not None:
                return _existing(earlier, person)
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
                reference=reference,
                contact_for_case_only=contact_for_case_only,
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
            missing = documents_missing(version=version, codes=codes)
            if missing:
                raise CaseInvalid({d.code: [_("Upload this document.")] for d in missing})
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


def _one_at_a_time_check(
    person: Person, definition: ServiceDefinition, idempotency_key: str
) -> Case | None:
    """Refuse a second open application for a service that considers one at a time (its
    `one_at_a_time`). The applicant's row and their household's are locked first, so two
    submissions at once (two tabs, two members of one family) are decided one after the other;
    the same submission sent twice finds its case made meanwhile, which it returns."""
    if not definition.one_at_a_time:
        return None
    list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk"))
    list(
        Household.objects.select_for_update(of=("self",))
        .filter(memberships__person=person, memberships__left_on__isnull=True)
        .values_list("pk")
    )
    made = Case.objects.filter(idempotency_key=idempotency_key).first()
    if made is not None:
        return made
    blocking = open_case_blocking(person=person, definition=definition)
    if blocking is None:
        return None
    if blocking.person_id == person.pk:
        raise OneAtATime(
            _(
                "You already have an open application for this service, %(reference)s. "
                "Only one is considered at a time: you can apply again once it is decided or "
                "withdrawn."
            )
            % {"reference": blocking.reference}
        )
    raise OneAtATime(
        _(
            "A member of your family already has an open application for this service. Only "
            "one application per family is considered at a time: you can apply once it is "
            "decided or withdrawn."
        )
    )


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
    reference: str = "",
    contact_for_case_only: bool = False,
) -> Case:
    definition = version_definition(version)
    now = timezone.now()
    today = timezone.localdate(now)
    working_days = definition.decision_working_days
    return Case.objects.create(
        reference=reference or reference_next(year=today.year),
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
        contact_for_case_only=contact_for_case_only and contact_channel != ContactChannel.PORTAL,
        submitted_at=now,
        submitted_on=today,
        decision_working_days=working_days,
        due_on=deadline_due_on(submitted_on=today, working_days=working_days)
        if working_days
        else None,
    )


def _submitted_record(case: Case, *, actor: Actor, request: HttpRequest | None) -> None:
    from meis.cases.tasks import case_precheck

    event_add(case, CaseEvent.Kind.SUBMITTED, actor=actor, status_after=CaseStatus.SUBMITTED)
    audit_record(
        action="case.submit",
        actor=actor,
        actor_role=role_of(actor),
        actor_institution=staff_institution(actor),
        person=case.person,
        obj=case,
        purpose=f"{case.reference} via {case.channel}",
        request=request,
        details={"reference": case.reference, "channel": case.channel},
    )
    case_usage(case, UsageKind.APPLICATION, occurred_at=case.submitted_at)
    # The outbox message: a task row written in this transaction (gone if it rolls back).
    case_precheck.enqueue(case.pk)
    received_notify(case)
