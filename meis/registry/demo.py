"""Demo data: a small synthetic country, the staff role groups and one demo user per role.

Used by `meis demo load` (and so by `make run`). Everything here is idempotent: a second run finds
what the first made and changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction
from django.db.models import Q

from .generator import registry_generate
from .models import IdentityDocument, Person
from .selectors import document_valid_q

DEMO_PEOPLE = 3_000
DEMO_SEED = 2020
# Documented in README and printed by the command: demo users exist only where DEBUG is on
# (or --force), so this password never protects anything real.
DEMO_PASSWORD = "meis-demo-2020!"  # noqa: S105

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

# Group name (= meis.accounts.roles.Role value) → model permissions. Analysts see statistics
# only, never personal data, so they get none.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "case_worker": _REGISTRY_VIEW,
    "centre_head": _REGISTRY_VIEW,
    "call_centre_operator": _REGISTRY_VIEW[:4],
    "commission_member": _REGISTRY_VIEW[:2],
    "analyst": (),
    "auditor": _REGISTRY_VIEW,
    "administrator": _REGISTRY_ALL,
}
DEMO_USERNAMES: dict[str, str] = {
    "case_worker": "demo-caseworker",
    "centre_head": "demo-centrehead",
    "call_centre_operator": "demo-operator",
    "commission_member": "demo-commission",
    "analyst": "demo-analyst",
    "auditor": "demo-auditor",
    "administrator": "demo-admin",
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


def demo_users_ensure(*, groups: dict[str, Group]) -> list[tuple[str, AbstractUser]]:
    """One staff user per role; an existing user is left as it is (its password too)."""
    user_model = get_user_model()
    users: list[tuple[str, AbstractUser]] = []
    for role, username in DEMO_USERNAMES.items():
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"is_staff": True, "is_superuser": role == "administrator"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(groups[role])
        users.append((role, user))
    return users


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
    users: list[tuple[str, AbstractUser]]
    citizens: list[DemoCitizen]


def demo_load(*, on: datetime.date) -> DemoResult:
    generated = 0
    if not Person.objects.exists():
        generated = registry_generate(people=DEMO_PEOPLE, seed=DEMO_SEED, as_of=on).people
    with transaction.atomic():
        users = demo_users_ensure(groups=staff_groups_ensure())
    return DemoResult(generated_people=generated, users=users, citizens=demo_citizens(on=on))
