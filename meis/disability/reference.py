"""The register's reference data: one polyclinic per economic region, the central commission
and two regional commissions for Baku, one for each other region, and their sittings.

`reference_load(on=…)` is idempotent (the demo and the benchmark call it; tests use it for a
realistic set). Members are not created here: they are staff accounts (`member_add`). The names
are the institutions' own, in Azerbaijani, on every page as in the registers.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation

from meis.disability.models import (
    ClinicStaff,
    Commission,
    CommissionLevel,
    CommissionMember,
    MedicalInstitution,
    Sitting,
)
from meis.registry.models import Region
from meis.workcalendar.selectors import add_working_days

CENTRAL = "tsek-central"


def _region_name(region: Region) -> str:
    with translation.override("az"):
        return str(region.label)


@transaction.atomic
def reference_load(*, on: datetime.date, sittings_days: int = 10, capacity: int = 20) -> None:
    for region in Region:
        MedicalInstitution.objects.update_or_create(
            code=f"poly-{region.value}",
            defaults={
                "name": f"{_region_name(region)} mərkəzi poliklinikası",
                "catchment": [region.value],
            },
        )
    Commission.objects.update_or_create(
        code=CENTRAL,
        defaults={
            "name": "Mərkəzi tibbi-sosial ekspert komissiyası",
            "level": CommissionLevel.CENTRAL,
            "regions": [],
        },
    )
    for region in Region:
        numbers = (1, 2) if region == Region.BAKU else (1,)
        for number in numbers:
            Commission.objects.update_or_create(
                code=f"tsek-{region.value}-{number}",
                defaults={
                    "name": (
                        f"{_region_name(region)} regional tibbi-sosial ekspert komissiyası "
                        f"№ {number}"
                    ),
                    "level": CommissionLevel.REGIONAL,
                    "regions": [region.value],
                },
            )
    day = on
    for _ in range(sittings_days):
        day = add_working_days(day, 1)
        for commission in Commission.objects.all():
            Sitting.objects.get_or_create(
                commission=commission,
                held_on=day,
                defaults={
                    "starts_at": datetime.time(10, 0),
                    "place": f"{commission.name}, müayinə otağı",
                    "capacity": capacity,
                },
            )


def member_add(*, user: User, commission_code: str, is_chair: bool = False) -> CommissionMember:
    member, _ = CommissionMember.objects.update_or_create(
        user=user,
        defaults={
            "commission": Commission.objects.get(code=commission_code),
            "is_chair": is_chair,
        },
    )
    return member


def clinic_staff_add(*, user: User, institution_code: str) -> ClinicStaff:
    staff, _ = ClinicStaff.objects.update_or_create(
        user=user, defaults={"institution": MedicalInstitution.objects.get(code=institution_code)}
    )
    return staff
