"""The access funnel for persons (docs/architecture.md §4): the one place that decides who may see whom.

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

Apps above accounts open a person's record on grounds of their own through a grant source they
register when they start (`person_grant_source_register`): an open case at the worker's centre
is one (`meis.cases.access`, which also decides who may read a case). accounts never imports
those apps.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone

from meis.accounts.models import (
    CitizenAccount,
    EmployerRepresentative,
    ServiceCentreRegistration,
    StaffProfile,
)
from meis.accounts.request_memo import memoised, request_memo_is_open
from meis.accounts.roles import STAFF_ROLES, Role, Subsystem
from meis.accounts.selectors import call_current, staff_profile_get
from meis.audit.models import AuditAction
from meis.audit.services import audit_record, person_reads_record
from meis.core.compiled import CompiledRead
from meis.registry.models import Employer, HouseholdMembership, Person, Relation
from meis.registry.selectors import person_get_by_fin_and_document

Actor = User | AnonymousUser

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


@dataclass(frozen=True)
class Grant:
    role: Role
    basis: str  # the registration, call or relation that allowed the read


# A further ground on which a staff member of a centre may read a person: given the member's
# profile (it has a centre), the person and the member's roles, a Grant or None.
PersonGrantSource = Callable[[StaffProfile, Person, frozenset[Role]], Grant | None]
_person_grant_sources: list[PersonGrantSource] = []


def person_grant_source_register(source: PersonGrantSource) -> None:
    """Let an app above accounts open a person's record to the staff of a centre (its AppConfig
    calls this in `ready`); sources are asked in the order registered, after registrations."""
    if source not in _person_grant_sources:
        _person_grant_sources.append(source)


def actor_roles(actor: Actor) -> frozenset[Role]:
    """Every role the actor holds: staff roles from groups, plus citizen and employer."""
    if not actor.is_authenticated:
        return frozenset()
    facts = _actor_facts(actor)
    roles = set(facts.staff_roles)
    if facts.person_id is not None:
        roles.add(Role.CITIZEN)
        if facts.is_employer:
            roles.add(Role.EMPLOYER)
    return frozenset(roles)


def citizen_person(actor: Actor) -> Person | None:
    """The registry person a signed-in citizen is, or None for anyone else."""
    person_id = citizen_person_id(actor)
    if person_id is None:
        return None
    return memoised(actor, "person", lambda: _person_loaded(actor, person_id))


def _person_loaded(actor: Actor, person_id: int) -> Person:
    """The person the request's user was loaded with (`backends.UserAndPersonBackend`), or else
    read now."""
    account_cache = User.citizen_account.related
    if isinstance(actor, User) and account_cache.is_cached(actor):
        account = cast("CitizenAccount | None", account_cache.get_cached_value(actor))
        if account is not None and account.person_id == person_id:
            return account.person  # loaded with the account (select_related)
    return Person.objects.get(pk=person_id)


def citizen_person_id(actor: Actor) -> int | None:
    """The id of the registry person a signed-in citizen is (no read of the person), or None."""
    if not actor.is_authenticated:
        return None
    return _actor_facts(actor).person_id


# A number every page shows the signed-in citizen (the inbox's unread messages), read in the same
# query as the actor's other facts instead of one of its own on every page. An app above accounts
# registers it when it starts: a name, and from the citizen's person id (an outer reference) the
# subquery that counts it.
CitizenCount = Callable[[OuterRef], Subquery]
_citizen_counts: dict[str, CitizenCount] = {}


def citizen_count_register(name: str, count: CitizenCount) -> None:
    """Read `count` with the signed-in user's facts (its AppConfig calls this in `ready`)."""
    _citizen_counts[name] = count


def citizen_count(actor: Actor, name: str) -> int:
    """The registered count `name` for the signed-in citizen (0 for anyone else)."""
    if not actor.is_authenticated:
        return 0
    return _actor_facts(actor).counts.get(name, 0)


def actor_session_generation(actor: User) -> int:
    """The user's session generation: sessions stamped with an older one have ended."""
    return _actor_facts(actor).session_generation


@dataclass(frozen=True)
class _ActorFacts:
    """What the request path asks of a signed-in user, read in one query (once per request for
    the request's own user: `meis.accounts.request_memo`)."""

    person_id: int | None  # behind the citizen account; None: not a citizen
    is_employer: bool  # bound by a live binding, or the employer's head as the tax register says
    staff_roles: frozenset[Role]  # from the user's groups
    has_staff_profile: bool  # a citizen has none: their audit events need no read of one
    session_generation: int
    counts: dict[str, int]  # the registered citizen counts (`citizen_count_register`)


def _actor_facts(actor: Actor) -> _ActorFacts:
    return memoised(actor, "actor_facts", lambda: _actor_facts_read(actor))


def _actor_facts_query(user_id: int) -> QuerySet[User, dict[str, Any]]:
    """Every fact of `_ActorFacts` as one row. The counts are those registered by the time the
    first request compiles it (apps register theirs in `ready`)."""
    person_id = OuterRef("citizen_account__person_id")
    facts: dict[str, Any] = {
        "citizen_person_id": F("citizen_account__person_id"),
        "generation": F("session_generation__generation"),
        "is_representative": Exists(
            EmployerRepresentative.objects.filter(person_id=person_id, revoked_at__isnull=True)
        ),
        "is_employer_head": Exists(Employer.objects.filter(head_id=person_id)),
        "has_staff_profile": Exists(StaffProfile.objects.filter(user_id=OuterRef("pk"))),
        **{
            f"holds_{role}": Exists(
                User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=role)
            )
            for role in STAFF_ROLES
        },
        **{f"count_{name}": count(person_id) for name, count in _citizen_counts.items()},
    }
    rows = User.objects.filter(pk=user_id).annotate(**facts).values(*facts)
    return cast("QuerySet[User, dict[str, Any]]", rows)


# Built by the ORM once per process: building this query cost more than the rest of a page's
# reads together (bench/request_path.py).
_ACTOR_FACTS = CompiledRead(_actor_facts_query, arguments=1)


def _actor_facts_read(actor: Actor) -> _ActorFacts:
    (row,) = _ACTOR_FACTS.rows(actor.pk)
    person_id = row["citizen_person_id"]
    return _ActorFacts(
        person_id=person_id,
        is_employer=bool(row["is_representative"] or row["is_employer_head"]),
        staff_roles=frozenset(role for role in STAFF_ROLES if row[f"holds_{role}"]),
        has_staff_profile=bool(row["has_staff_profile"]),
        session_generation=row["generation"] or 0,
        counts={
            name: int(row[f"count_{name}"] or 0) if person_id is not None else 0
            for name in _citizen_counts
        },
    )


def staff_institution(actor: Actor) -> str:
    if not actor.is_authenticated:
        return ""
    # In a request the user's facts are read anyway and say whether there is a profile; outside
    # one (a service's or a command's user) the profile is read as before, in one query.
    if request_memo_is_open(actor) and not _actor_facts(actor).has_staff_profile:
        return ""
    profile = staff_profile_get(user=actor)
    return profile.institution if profile else ""


def personal_data_page_check(*, actor: Actor, request: HttpRequest | None, page: str) -> None:
    """Raise PermissionDenied (403, audited) unless the actor's role may ever read personal data."""
    roles = actor_roles(actor)
    if roles & PERSONAL_DATA_ROLES:
        return
    audit_record(
        action=AuditAction.ACCESS_REFUSED,
        actor=actor,
        actor_role=role_codes(roles),
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
            actor_role=role_codes(roles),
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


def persons_listed_for_actor(
    *,
    actor: Actor,
    listed: Iterable[tuple[int | None, Any]],
    purpose: str,
    request: HttpRequest | None,
) -> int:
    """Record a page of a list that shows people's data — an admin change list, a case queue,
    the message desk — as a read of each listed person's data, all in one insert; each shows in
    that person's "who looked at my data". The list's own selector has already kept it to what
    the actor may see; rows without a person are not a read of anyone's. The number recorded."""
    reads = [(person_id, obj) for person_id, obj in listed if person_id is not None]
    if not reads:
        return 0
    return person_reads_record(
        actor=actor,
        actor_role=role_codes(actor_roles(actor)),
        actor_institution=staff_institution(actor),
        reads=reads,
        purpose=purpose,
        request=request,
    )


def caller_find_for_operator(
    *, operator: User, fin: str, document_number: str, request: HttpRequest | None
) -> Person | None:
    """The caller a call-centre operator identifies by the FİN and document number they state
    (the living holder of a valid document), or None. The look-up is audited either way: a match
    as a search of the caller's data, a mismatch against the FİN's holder as a refused one (it
    may be someone trying to pass for them), an unknown FİN with no person."""
    caller = person_get_by_fin_and_document(fin=fin, document_number=document_number)
    holder = caller or Person.objects.filter(fin=fin).first()
    audit_record(
        action=AuditAction.PERSON_SEARCH if caller else AuditAction.ACCESS_REFUSED,
        actor=operator,
        actor_role=role_codes(actor_roles(operator)),
        actor_institution=staff_institution(operator),
        person=holder,
        obj=caller,
        purpose="142 caller identification",
        request=request,
        details={"matched": caller is not None},
    )
    return caller


def role_codes(roles: frozenset[Role]) -> str:
    """The roles as the audit records them ("anonymous" for none)."""
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
        grant = call_grant(actor=actor, person=person)
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
    profile = staff_profile_get(user=actor)
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
    for source in _person_grant_sources:
        grant = source(profile, person, roles)
        if grant is not None:
            return grant
    return None


def call_grant(*, actor: User, person: Person) -> Grant | None:
    """An operator may read the caller identified in their current call."""
    call = call_current(operator=actor, caller=person)
    return Grant(Role.CALL_CENTRE_OPERATOR, f"142 call {call.reference}") if call else None


def household_members_represented(*, person: Person) -> set[int]:
    """The members of the person's household whose record the person may open as their parent
    (children under 18: the rule `person_get_for_actor` applies), so that no page offers a link
    the funnel refuses."""
    return {
        membership.person_id
        for membership in household_for_citizen(person=person)
        if membership.person_id != person.pk
        and _representation_grant(representative=person, person=membership.person) is not None
    }


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
