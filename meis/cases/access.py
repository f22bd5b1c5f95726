"""The case half of the access funnel (docs/architecture.md §4): who may read a case.

Views never look a case up themselves: they call `case_get_for_actor`, which returns the case or
raises `CaseNotFound` (→ 404). Who may read a case: the applicant; a case worker of the case's
centre who handles its subsystem; the head of that centre; an operator while on a call with the
applicant; an administrator. Staff reads and every refusal are audited.

`applicant_for_actor` says for whom the actor may file an application: a citizen for
themselves, or a call-centre operator for the caller identified in their current call.
`application_audience_check` says whether the service takes the application at all: its
audience (citizens, employers, staff on a citizen's behalf) against the channel and the actor.
The apply pages ask it before every page, and `case_submit` asks it again, so no channel files
a service for someone it is not for; a refusal says who may apply and how, and is audited.

An open case also opens the applicant's record (`person_get_for_actor` in `meis.accounts.access`)
to the case workers of its centre who handle its subsystem and to the head of that centre:
`open_case_grant`, which this app registers with the person funnel when it starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from meis.accounts.access import (
    Actor,
    Grant,
    actor_roles,
    call_grant,
    citizen_person,
    citizen_person_id,
    person_get_for_actor,
    role_codes,
    staff_institution,
)
from meis.accounts.models import StaffProfile
from meis.accounts.roles import Role
from meis.accounts.selectors import call_current, staff_profile_get
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.cases.models import OPEN_STATUSES, Case, Channel, InformationRequest
from meis.cases.services.errors import CaseActionError
from meis.catalog.audience import Applying, audience_allows, audience_refusal
from meis.catalog.definitions import ServiceDefinition, text_in
from meis.core.compiled import CompiledQuery
from meis.registry.models import Person


class CaseNotFound(Http404):
    """The case does not exist or the actor may not see it: the actor cannot tell which."""


def _case_by_reference(reference: str) -> QuerySet[Case]:
    return (
        Case.objects.select_related("person", "service_version", "centre", "assigned_to")
        .annotate(
            # What the case pages would otherwise ask in a query of their own, nearly always
            # to learn there is nothing: appeals of it, requests for information.
            has_appeals=Exists(Case.objects.filter(appeal_of_id=OuterRef("pk"))),
            has_information_requests=Exists(
                InformationRequest.objects.filter(case_id=OuterRef("pk"))
            ),
        )
        .filter(reference=reference)
        .order_by("pk")[:1]
    )


# Every case page reads its case this way: the SQL is built once per process (meis.core.compiled).
_CASE_BY_REFERENCE = CompiledQuery(_case_by_reference, arguments=(str,))


def case_get_for_actor(
    *, actor: Actor, reference: str, purpose: str, request: HttpRequest | None
) -> Case:
    """The case `reference` if `actor` may read it; otherwise CaseNotFound (audited)."""
    case: Case | None = _CASE_BY_REFERENCE.first(reference)
    own = citizen_person_id(actor)
    if case is not None and own is not None and own == case.person_id:
        return case
    roles = actor_roles(actor)
    grant = _case_grant(actor=actor, case=case, roles=roles) if case is not None else None
    if grant is None:
        audit_record(
            action=AuditAction.ACCESS_REFUSED,
            actor=actor,
            actor_role=role_codes(roles),
            actor_institution=staff_institution(actor),
            person=case.person if case is not None else None,
            purpose=purpose,
            request=request,
            details={"object_type": "cases.case", "reference": reference[:32]},
        )
        raise CaseNotFound
    assert case is not None  # noqa: S101 — a grant is only found for an existing case
    audit_record(
        action="case.read",
        actor=actor,
        actor_role=grant.role,
        actor_institution=staff_institution(actor),
        person=case.person,
        obj=case,
        purpose=f"{purpose}: {grant.basis}" if purpose else grant.basis,
        request=request,
    )
    return case


def _case_grant(*, actor: Actor, case: Case, roles: frozenset[Role]) -> Grant | None:
    if not isinstance(actor, User) or citizen_person_id(actor) is not None:
        return None
    if Role.ADMINISTRATOR in roles:
        return Grant(Role.ADMINISTRATOR, "administration")
    profile = staff_profile_get(user=actor)
    if profile is not None and profile.centre_id == case.centre_id:
        if Role.CENTRE_HEAD in roles:
            return Grant(Role.CENTRE_HEAD, f"centre case {case.reference}")
        if Role.CASE_WORKER in roles and case.subsystem in (profile.subsystems or []):
            return Grant(Role.CASE_WORKER, f"centre case {case.reference}")
    if Role.CALL_CENTRE_OPERATOR in roles:
        return call_grant(actor=actor, person=case.person)
    return None


@dataclass(frozen=True)
class Applicant:
    """For whom an application is filed, by which user, through which channel."""

    person: Person
    user: User
    channel: str


def applicant_for_actor(*, actor: Actor, request: HttpRequest | None) -> Applicant | None:
    """A signed-in citizen applies for themselves (portal); a call-centre operator who passed
    the second factor, for the caller identified in their current call (call centre; the read
    of the caller's record is audited). None for anyone else."""
    if not isinstance(actor, User):
        return None
    own = citizen_person(actor)
    if own is not None:
        return Applicant(own, actor, Channel.PORTAL)
    if not getattr(actor, "is_verified", lambda: False)():
        return None
    if Role.CALL_CENTRE_OPERATOR not in actor_roles(actor):
        return None
    call = call_current(operator=actor)
    if call is None:
        return None
    person = person_get_for_actor(
        actor=actor, person_id=call.caller_id, purpose="filing an application", request=request
    )
    return Applicant(person, actor, Channel.CALL_CENTRE)


class AudienceRefused(CaseActionError):
    """The service is not for this applicant or channel; the message says who may apply, how."""


# Channels through which a member of staff files on a citizen's behalf.
STAFF_CHANNELS = frozenset({Channel.CALL_CENTRE, Channel.CENTRE_DESK, Channel.EMAIL})


def applying_as(*, actor: Actor, channel: str, for_employers: bool = False) -> Applying:
    """As whom the actor applies through this channel: staff on a citizen's behalf, an
    employer's representative (for a service for employers, a representative — who signs in as
    a citizen — acts for the employer), or a citizen."""
    if channel in STAFF_CHANNELS:
        return Applying.STAFF
    roles = actor_roles(actor)
    if Role.EMPLOYER in roles and (for_employers or Role.CITIZEN not in roles):
        return Applying.EMPLOYER
    return Applying.CITIZEN


def application_audience_check(
    *,
    definition: ServiceDefinition,
    channel: str,
    actor: Actor,
    request: HttpRequest | None,
    person: Person | None = None,
) -> None:
    """Refuse (AudienceRefused, audited) an application the service's audience does not take.

    Through staff channels only a service filed on a citizen's behalf; otherwise only a service
    for citizens, and never from an employer's representative. Proactive cases are the system's.
    """
    if channel == Channel.PROACTIVE:
        return
    applying = applying_as(actor=actor, channel=channel, for_employers=definition.for_employers)
    audience = {
        "for_citizens": definition.for_citizens,
        "for_employers": definition.for_employers,
        "for_staff_on_behalf": definition.for_staff_on_behalf,
    }
    if audience_allows(applying=applying, **audience):
        return
    roles = actor_roles(actor)
    audit_record(
        action=AuditAction.ACCESS_REFUSED,
        actor=actor,
        actor_role=role_codes(roles),
        actor_institution=staff_institution(actor),
        person=person,
        purpose=f"applying for {definition.code}",
        request=request,
        details={"service": definition.code, "channel": channel, "applying_as": applying.value},
    )
    raise AudienceRefused(
        audience_refusal(service=text_in(definition.name), applying=applying, **audience)
    )


def open_case_grant(profile: StaffProfile, person: Person, roles: frozenset[Role]) -> Grant | None:
    """An open case of the person at the worker's centre, in a subsystem the worker handles (any
    subsystem for the centre head): a person grant source (`person_grant_source_register`)."""
    open_cases = Case.objects.filter(
        person=person, centre_id=profile.centre_id, status__in=OPEN_STATUSES
    )
    scopes: list[tuple[Role, Q]] = [
        (Role.CENTRE_HEAD, Q()),
        (Role.CASE_WORKER, Q(subsystem__in=list(profile.subsystems or []))),
    ]
    for role, scope in scopes:
        if role not in roles:
            continue
        case = open_cases.filter(scope).order_by("submitted_at").first()
        if case is not None:
            return Grant(role, f"case {case.reference}")
    return None
