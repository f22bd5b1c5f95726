# mypy: disable-error-code="attr-defined,type-arg"
"""Factories of the contracts register: employers in a sector, and drafts of notifications."""

from __future__ import annotations

import datetime

import factory

from meis.core.identifiers import voen_check_digit
from meis.labour.models import ContractTerm
from meis.labour.validation import ContractDraft
from meis.registry.models import Employer, EmployerSector, LegalForm, Region


def voen_for(n: int) -> str:
    """A valid legal person's VÖEN for `n` (the 8th digit is bumped past a remainder of 10)."""
    for eighth in range(10):
        first = f"{14 + n // 100000:02d}{n % 100000:05d}{eighth}"
        check = voen_check_digit(first)
        if check is not None:
            return f"{first}{check}1"
    raise AssertionError(n)


class EmployerFactory(factory.django.DjangoModelFactory[Employer]):
    class Meta:
        model = Employer
        django_get_or_create = ("voen",)

    voen = factory.Sequence(voen_for)
    sun = factory.Sequence(lambda n: f"{1000000000 + n}")
    name = factory.Sequence(lambda n: f"Xəzər Tikinti MMC {n}")
    legal_form = LegalForm.LLC
    sector = EmployerSector.NON_OIL_PRIVATE
    region = Region.BAKU
    address = "Bakı, Nizami küç. 1"


def draft(fin: str, **changes: object) -> ContractDraft:
    """A valid full-time indefinite hire at 1 500 AZN starting 16 March 2020."""
    values: dict[str, object] = {
        "employee_fin": fin,
        "occupation_code": "2512",
        "position": "Proqramçı",
        "workplace": "Bakı ofisi",
        "monthly_wage_qepik": 150_000,
        "weekly_hours": 40,
        "term": ContractTerm.INDEFINITE,
        "start_on": datetime.date(2020, 3, 16),
        "concluded_on": datetime.date(2020, 3, 13),
    }
    values.update(changes)
    return ContractDraft(**values)  # type: ignore[arg-type]
