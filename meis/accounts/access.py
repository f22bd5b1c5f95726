"""The access funnel for persons (ARCHITECTURE.md §4): the one place that decides who may see whom.

Views never filter by owner themselves: they call `person_get_for_actor`, which returns the
person or raises `PersonNotFound` (→ 404), and `personal_data_page_check`, which raises
`PermissionDenied` (→ 403) for roles that never see personal data. Every read by anyone but the
person and every refusal is an audit event.

Who may read a person's record:
- the person themselves (not audited: it is their own data);
- a parent or spouse of the head of the household, for a child under 18 in the same current
  household (audited: the child sees it later);
- a case worker, for a person with an open registration or an open case at the worker's centre
  in a subsystem the worker handles; a centre head, for any open registration or open case at
  their centre; a commission member, for an open disability registration at their centre;
- a call-centre operator, for the caller identified in their current call (at most 2 hours old);
- an administrator, anyone (audited; for corrections).
Analysts, auditors and employer representatives never read a person's record.

Who may read a case (`case_get_for_actor`): the applicant; a case worker of the case's centre
who handles its subsystem; the head of that centre; an operator while on a call with the
applicant; an administrator. Staff reads and every refusal are audited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from meis.accounts.models import (
    CallSession,
    CitizenAccount,
    ServiceCentreRegistration,
    StaffProfile,
)
from meis.accounts.roles import STAFF_ROLES, Role, Subsystem
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.registry.models import HouseholdMembership, Person, Relation

if TYPE_CHECKING:
    from meis.cases.models import Case

Actor = User | AnonymousUser

CALL_MAX_AGE = datetime.timedelta(hours=2)
ADULT_AGE_YEARS = 18
PERSONAL_DATA_ROLES = frozenset(
    {
        Role.CASE_WORKER,
        Role.CENTRE_HEAD,
        Role.CALL_CENTRE_OPERATOR,
        Role.COMMISSION_MEMBER,
        Role.ADMINISTRATOR,
    }
)


class PersonNotFound(Http404):
    """The person does not exist or the actor may not see them: the actor cannot tell which."""


class CaseNotFound(Http404):
    """The case does not exist or the actor may not see it: the actor cannot tell which."""


@dataclass(frozen=True)
class Grant:
    role: Role
    basis: str  # the registration, call or relation that allowed the read


def actor_roles(actor: Actor) -> frozenset[Role]:
    """Every role the actor holds: staff roles from groups, plus citizen and employer."""
    if not actor.is_authenticated:
        return frozenset()
    roles = {
        Role(name) for name in actor.groups.values_list("name", flat=True) if name in STAFF_ROLES
    }
    if CitizenAccount.objects.filter(user_id=actor.pk).exists():
        roles.add(Role.CITIZEN)
    if hasattr(actor, "employer_representative"):
        roles.add(Role.EMPLOYER)
    return frozenset(roles)


def citizen_person(actor: Actor) -> Person | None:
    """The registry person a signed-in citizen is, or None for anyone else."""
    if not actor.is_authenticated:
        return None
    account = CitizenAccount.objects.select_related("person").filter(user_id=actor.pk).first()
    return account.person if account else None


def staff_institution(actor: Actor) -> str:
    if not actor.is_authenticated:
        return ""
    profile = StaffProfile.objects.filter(user_id=actor.pk).first()
    return profile.institution if profile else ""


def personal_data_page_check(*, actor: Actor, request: HttpRequest | None, page: str) -> None:
    """Raise PermissionDenied (403, audited) unless the actor's role may ever read personal data."""
    roles = actor_roles(actor)
    if roles & PERSONAL_DATA_ROLES:
        return
    audit_record(
        action=AuditAction.ACCESS_REFUSED,
        actor=actor,
        actor_role=_role_codes(roles),
        actor_institution=staff_institution(actor),
        request=request,
        details={"page": page},
    )
    raise PermissionDenied


def person_get_for_actor(
    *, actor: Actor, person_id: int, purpose: str, request: HttpRequest | None
) -> Person:
    """The person `person_id` if `actor` may read their record; otherwise PersonNotFound."""
    person = Person.objects.filter(pk=person_id).first()
    own = citizen_person(actor)
    if person is not None and own is not None and own.pk == person.pk:
        return person
    grant = _grant(actor=actor, person=person, own=own) if person is not None else None
    roles = actor_roles(actor)
    if grant is None:
        audit_record(
            action=AuditAction.ACCESS_REFUSED,
            actor=actor,
            actor_role=_role_codes(roles),
            actor_institution=staff_institution(actor),
            person=person,
            purpose=purpose,
            request=request,
            details={"object_type": "registry.person", "object_id": person_id},
        )
        raise PersonNotFound
    assert person is not None  # noqa: S101 — a grant is only found for an existing person
    audit_record(
        action=AuditAction.PERSON_READ,
        actor=actor,
        actor_role=grant.role,
        actor_institution=staff_institution(actor) if grant.role != Role.REPRESENTATIVE else "",
        person=person,
        obj=person,
        purpose=f"{purpose}: {grant.basis}" if purpose else grant.basis,
        request=request,
    )
    return person


def _role_codes(roles: frozenset[Role]) -> str:
    return ",".join(sorted(roles)) or "anonymous"


def _grant(*, actor: Actor, person: Person, own: Person | None) -> Grant | None:
    if not isinstance(actor, User):
        return None
    if own is not None:
        return _representation_grant(representative=own, person=person)
    roles = actor_roles(actor)
    if Role.ADMINISTRATOR in roles:
        return Grant(Role.ADMINISTRATOR, "administration")
    grant = _centre_grant(actor=actor, person=person, roles=roles)
    if grant is None and Role.CALL_CENTRE_OPERATOR in roles:
        grant = _call_grant(actor=actor, person=person)
    return grant


def _representation_grant(*, representative: Person, person: Person) -> Grant | None:
    """A parent (head or spouse) for a child under 18 in the same current household."""
    if _is_adult(person.birth_on, on=timezone.localdate()) or person.died_on is not None:
        return None
    parent = HouseholdMembership.objects.filter(
        person=representative,
        left_on__isnull=True,
        relation__in=[Relation.HEAD, Relation.SPOUSE],
    ).first()
    if parent is None:
        return None
    is_child = HouseholdMembership.objects.filter(
        person=person,
        household_id=parent.household_id,
        left_on__isnull=True,
        relation=Relation.CHILD,
    ).exists()
    return Grant(Role.REPRESENTATIVE, "parent of a minor child") if is_child else None


def _is_adult(birth_on: datetime.date, *, on: datetime.date) -> bool:
    years = on.year - birth_on.year - ((on.month, on.day) < (birth_on.month, birth_on.day))
    return years >= ADULT_AGE_YEARS


def _centre_grant(*, actor: User, person: Person, roles: frozenset[Role]) -> Grant | None:
    profile = StaffProfile.objects.filter(user_id=actor.pk).first()
    if profile is None or profile.centre_id is None:
        return None
    open_here = ServiceCentreRegistration.objects.filter(
        person=person, centre_id=profile.centre_id, closed_at__isnull=True
    )
    scopes: list[tuple[Role, Q]] = [
        (Role.CENTRE_HEAD, Q()),
        (Role.CASE_WORKER, Q(subsystem__in=list(profile.subsystems or []))),
        (Role.COMMISSION_MEMBER, Q(subsystem=Subsystem.DISABILITY)),
    ]
    for role, scope in scopes:
        if role not in roles:
            continue
        registration = open_here.filter(scope).order_by("opened_at").first()
        if registration is not None:
            return Grant(role, f"registration {registration.reference}")
    return _open_case_grant(profile=profile, person=person, roles=roles)


def _open_case_grant(
    *, profile: StaffProfile, person: Person, roles: frozenset[Role]
) -> Grant | None:
    """An open case of the person at the worker's centre, in a subsystem the worker handles."""
    case_model = apps.get_model("cases", "Case")
    open_cases = case_model.objects.filter(
        person=person,
        centre_id=profile.centre_id,
        status__in=["submitted", "in_review", "awaiting_information"],
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


def case_get_for_actor(
    *, actor: Actor, reference: str, purpose: str, request: HttpRequest | None
) -> Case:
    """The case `reference` if `actor` may read it; otherwise CaseNotFound (audited)."""
    case_model = apps.get_model("cases", "Case")
    case: Case | None = (
        case_model.objects.select_related("person", "service_version", "centre", "assigned_to")
        .filter(reference=reference)
        .first()
    )
    own = citizen_person(actor)
    if case is not None and own is not None and own.pk == case.person_id:
        return case
    roles = actor_roles(actor)
    grant = _case_grant(actor=actor, case=case, roles=roles) if case is not None else None
    if grant is None:
        audit_record(
            action=AuditAction.ACCESS_REFUSED,
            actor=actor,
            actor_role=_role_codes(roles),
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
    if not isinstance(actor, User) or citizen_person(actor) is not None:
        return None
    if Role.ADMINISTRATOR in roles:
        return Grant(Role.ADMINISTRATOR, "administration")
    profile = StaffProfile.objects.filter(user_id=actor.pk).first()
    if profile is not None and profile.centre_id == case.centre_id:
        if Role.CENTRE_HEAD in roles:
            return Grant(Role.CENTRE_HEAD, f"centre case {case.reference}")
        if Role.CASE_WORKER in roles and case.subsystem in (profile.subsystems or []):
            return Grant(Role.CASE_WORKER, f"centre case {case.reference}")
    if Role.CALL_CENTRE_OPERATOR in roles:
        return _call_grant(actor=actor, person=case.person)
    return None


def _call_grant(*, actor: User, person: Person) -> Grant | None:
    call = (
        CallSession.objects.filter(
            operator_id=actor.pk,
            caller=person,
            ended_at__isnull=True,
            started_at__gte=timezone.now() - CALL_MAX_AGE,
        )
        .order_by("-started_at")
        .first()
    )
    return Grant(Role.CALL_CENTRE_OPERATOR, f"142 call {call.reference}") if call else None


def household_for_citizen(*, person: Person) -> list[HouseholdMembership]:
    """The current household of a person, as membership rows with their persons (own data)."""
    membership = HouseholdMembership.objects.filter(person=person, left_on__isnull=True).first()
    if membership is None:
        return []
    return list(
        HouseholdMembership.objects.filter(
            household_id=membership.household_id, left_on__isnull=True
        )
        .select_related("person")
        .order_by("joined_on", "id")
    )
