"""Demo people: a small synthetic country, and the demo citizens `make run` prints.

Used by `meis demo load` (and so by `make run`), which then lets `meis.demo.staff` create the
demo staff users. Idempotent: a second run finds what the first made and changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from meis.accounts.services import staff_groups_ensure
from meis.registry.models import IdentityDocument, Person
from meis.registry.selectors import document_valid_q
from meis.registry.synthetic import registry_generate

DEMO_PEOPLE = 3_000
DEMO_SEED = 2020


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
