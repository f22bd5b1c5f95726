"""Demo data for the registry: a small synthetic country and the staff groups' permissions.

Used by `meis demo load` (and so by `make run`), which then lets `meis.accounts.demo` create the
demo staff users (it owns staff sign-in: passwords, TOTP devices, centres). Idempotent: a second
run finds what the first made and changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .generator import registry_generate
from .models import IdentityDocument, Person
from .selectors import document_valid_q

DEMO_PEOPLE = 3_000
DEMO_SEED = 2020

_REGISTRY_VIEW = (
    "registry.view_person",
    "registry.view_identitydocument",
    "registry.view_household",
    "registry.view_householdmembership",
    "registry.view_employer",
)
_REGISTRY_ALL = _REGISTRY_VIEW + tuple(
    f"registry.{action}_{model}"
    for action in ("add", "change", "delete")
    for model in ("person", "identitydocument", "household", "householdmembership", "employer")
)

# Group name (= meis.accounts.roles.Role value) → model permissions in the admin. Only
# administrators maintain the registry there; every other role reads a person through the staff
# pages, where the access funnel (meis.accounts.access) decides whom they may see and audits it.
# Analysts see statistics only, never personal data.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "case_worker": (),
    "centre_head": (),
    "call_centre_operator": (),
    "commission_member": (),
    "analyst": (),
    "auditor": (),
    "administrator": _REGISTRY_ALL,
}


def _permissions(codes: tuple[str, ...]) -> list[Permission]:
    query = Q(pk__in=[])
    for code in codes:
        app_label, codename = code.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def staff_groups_ensure() -> dict[str, Group]:
    """The staff role groups with their model permissions (created or corrected)."""
    groups = {}
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(codes))
        groups[name] = group
    return groups


@dataclass(frozen=True)
class DemoCitizen:
    fin: str
    document_number: str
    phone: str
    name: str


def demo_citizens(*, on: datetime.date, count: int = 2) -> list[DemoCitizen]:
    """The first living adults with a verified phone and a document valid on `on`."""
    adult_born_by = on.replace(year=on.year - 18) if (on.month, on.day) != (2, 29) else on
    documents = (
        IdentityDocument.objects.filter(
            document_valid_q(on=on),
            person__died_on__isnull=True,
            person__verified_phone__isnull=False,
            person__birth_on__lte=adult_born_by,
        )
        .select_related("person")
        .order_by("person_id", "-issued_on")
    )
    citizens: list[DemoCitizen] = []
    seen: set[int] = set()
    for document in documents[: count * 4]:
        person: Person = document.person
        if person.pk in seen:
            continue
        seen.add(person.pk)
        citizens.append(
            DemoCitizen(
                fin=person.fin,
                document_number=document.number,
                phone=person.verified_phone or "",
                name=person.full_name,
            )
        )
        if len(citizens) == count:
            break
    return citizens


@dataclass(frozen=True)
class DemoResult:
    generated_people: int
    groups: list[str]
    citizens: list[DemoCitizen]


def registry_demo_load(*, on: datetime.date) -> DemoResult:
    """Demo people when the registry is empty, and the role groups' registry permissions."""
    generated = 0
    if not Person.objects.exists():
        generated = registry_generate(people=DEMO_PEOPLE, seed=DEMO_SEED, as_of=on).people
    with transaction.atomic():
        groups = staff_groups_ensure()
    return DemoResult(
        generated_people=generated, groups=sorted(groups), citizens=demo_citizens(on=on)
    )
