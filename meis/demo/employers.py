"""The demo employer and its representative: who notifies a hire in the demo (issue 15).

One non-oil private employer with a valid VÖEN, headed by a demo citizen (a living adult with a
verified phone and a valid identity card, not one of the two citizens `make run` prints first)
who is also bound to it as its representative: he signs in like any citizen, finds "Employer"
in the menu, notifies hires confirmed with a one-time code, and — as the head — may bind other
representatives. Idempotent: a second run finds the employer and the binding and changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from meis.accounts.models import BindingGrantor, EmployerRepresentative
from meis.demo.people import DemoCitizen, demo_citizens
from meis.labour.services import representative_bind
from meis.registry.models import (
    Employer,
    EmployerSector,
    IdentityDocument,
    LegalForm,
    Person,
    Region,
)
from meis.registry.selectors import document_valid_q

# 8 digits, the check digit (Σ dᵢwᵢ mod 11 = 4) and 1 for a legal person.
DEMO_VOEN = "1700200041"
DEMO_EMPLOYER_NAME = "Demo Xəzər Tikinti MMC"


@dataclass(frozen=True)
class DemoEmployer:
    voen: str
    name: str
    representative: DemoCitizen | None


def employers_demo_load(*, on: datetime.date) -> DemoEmployer:
    """The demo employer, headed by and bound to the third demo citizen."""
    citizens = demo_citizens(on=on, count=3)
    chosen = citizens[2] if len(citizens) == 3 else None
    head = Person.objects.filter(fin=chosen.fin).first() if chosen else None
    with transaction.atomic():
        employer, _ = Employer.objects.get_or_create(
            voen=DEMO_VOEN,
            defaults={
                "name": DEMO_EMPLOYER_NAME,
                "sun": "1700200041",
                "legal_form": LegalForm.LLC,
                "sector": EmployerSector.NON_OIL_PRIVATE,
                "region": Region.BAKU,
                "address": "Bakı, Neftçilər prospekti 100",
                "head": head,
            },
        )
        person = employer.head or head
        representative = None
        if person is not None:
            if not EmployerRepresentative.objects.filter(
                person=person, employer=employer, revoked_at__isnull=True
            ).exists():
                representative_bind(
                    employer=employer,
                    person=person,
                    actor=AnonymousUser(),
                    granted_as=BindingGrantor.ADMINISTRATOR,
                )
            representative = _as_demo_citizen(person, on)
    return DemoEmployer(voen=employer.voen, name=employer.name, representative=representative)


def _as_demo_citizen(person: Person, on: datetime.date) -> DemoCitizen | None:
    document = (
        IdentityDocument.objects.filter(document_valid_q(on=on), person=person)
        .order_by("-issued_on")
        .first()
    )
    if document is None:
        return None
    return DemoCitizen(
        fin=person.fin,
        document_number=document.number,
        phone=person.verified_phone or "",
        name=person.full_name,
    )
