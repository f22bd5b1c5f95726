"""Reads of the employer pages, each limited to the employers the signed-in person acts for.

A person acts for an employer through a live binding (`meis.labour.selectors`) or as its head
as the tax register records him (`Employer.head`): the head needs no binding to reach his own
employer, and it is he who binds the others. Any other employer, and any contract of one, is
"not found" (404) — the same answer as for a VÖEN or a contract that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from meis.accounts.access import Actor, citizen_person
from meis.accounts.models import EmployerRepresentative
from meis.core.identifiers import InvalidIdentifier, normalize_fin
from meis.labour.models import Contract, ContractStatus, ContractVersion
from meis.labour.selectors import employers_of_actor
from meis.registry.models import Employer, Person


def employers_for_actor(*, actor: Actor) -> QuerySet[Employer]:
    """The employers the signed-in person acts for: bound to, or heads."""
    return employers_of_actor(actor=actor).order_by("name")


def employer_for_actor(*, actor: Actor, voen: str) -> Employer:
    """The employer with this VÖEN if the actor acts for it; 404 otherwise."""
    if len(voen) > 10 or not voen.isdigit():
        raise Http404
    ids = employers_for_actor(actor=actor).filter(voen=voen).values_list("pk", flat=True)
    employer = Employer.objects.select_related("head").filter(pk__in=list(ids)).first()
    if employer is None:
        raise Http404
    return employer


def actor_heads(*, actor: Actor, employer: Employer) -> bool:
    """Whether the signed-in person is the employer's head (who may bind representatives)."""
    person = citizen_person(actor)
    return person is not None and employer.head_id == person.pk


def employees_live(*, employer: Employer, query: str = "") -> QuerySet[Contract]:
    """The employer's live (active or suspended) contracts, searchable by FİN or name."""
    contracts = (
        Contract.objects.filter(employer=employer)
        .exclude(status=ContractStatus.TERMINATED)
        .select_related("person", "occupation")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    query = query.strip()[:100]
    if not query:
        return contracts
    try:
        return contracts.filter(person__fin=normalize_fin(query))
    except InvalidIdentifier:
        pass
    for word in query.split()[:3]:
        contracts = contracts.filter(
            Q(person__last_name__icontains=word)
            | Q(person__first_name__icontains=word)
            | Q(person__patronymic__icontains=word)
        )
    return contracts


# The largest primary key a database column holds: a longer number in the address is "not found".
LARGEST_ID = 2**63 - 1


def contract_for_employer(*, employer: Employer, contract_id: int) -> Contract:
    if not 0 < contract_id <= LARGEST_ID:
        raise Http404
    contract = (
        Contract.objects.select_related("person", "occupation", "termination_ground")
        .filter(employer=employer, pk=contract_id)
        .first()
    )
    if contract is None:
        raise Http404
    return contract


def contract_versions(*, contract: Contract) -> QuerySet[ContractVersion]:
    return (
        ContractVersion.objects.filter(contract=contract)
        .select_related("occupation", "termination_ground", "notified_by__citizen_account__person")
        .order_by("-number")
    )


def employer_history(*, employer: Employer) -> QuerySet[ContractVersion]:
    """Every notification the employer made, newest first."""
    return (
        ContractVersion.objects.filter(contract__employer=employer)
        .select_related(
            "contract__person", "termination_ground", "notified_by__citizen_account__person"
        )
        .order_by("-registered_at", "-pk")
    )


def representatives_live(*, employer: Employer) -> QuerySet[EmployerRepresentative]:
    return (
        EmployerRepresentative.objects.filter(employer=employer, revoked_at__isnull=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def notifier_name(version: ContractVersion) -> str:
    """Who notified a version: the representative's name, or "" (an import, the API)."""
    user = version.notified_by
    account = getattr(user, "citizen_account", None) if user is not None else None
    person: Person | None = account.person if account is not None else None
    return person.full_name if person is not None else ""
