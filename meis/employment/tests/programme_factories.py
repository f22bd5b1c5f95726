# mypy: disable-error-code="arg-type,return-value,misc"
"""People, officers, applications and courses for the stories of the active programmes."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from meis.accounts.models import StaffProfile
from meis.accounts.roles import Subsystem
from meis.accounts.services import staff_groups_ensure
from meis.awards.models import Award, AwardKind
from meis.awards.services import award_grant, basis_get_or_create
from meis.cases.models import Case, CaseStatus
from meis.cases.services.common import subsystem_code
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.centres.models import ServiceCentre
from meis.employment.models import JobSeeker, SeekerStatus, TrainingCourse
from meis.labour.models import Occupation
from meis.registry.models import Person, Region
from meis.registry.tests.factories import PersonFactory


def registered(
    *, registered_on: datetime.date, status: str = SeekerStatus.UNEMPLOYED, **person: Any
) -> JobSeeker:
    """A person registered with the employment service since `registered_on`."""
    values: dict[str, Any] = {"birth_on": datetime.date(1985, 5, 1), "region": Region.BAKU}
    values.update(person)
    return JobSeeker.objects.create(
        person=PersonFactory(**values),
        status=status,
        registered_on=registered_on,
        education="full_secondary",
    )


def officer(username: str, subsystems: tuple[str, ...] = (Subsystem.EMPLOYMENT,)) -> User:
    """A case worker of the first centre handling `subsystems`, with a confirmed TOTP device."""
    user = User.objects.create_user(username=username, password="x", is_staff=True)
    user.groups.add(staff_groups_ensure()["case_worker"])
    StaffProfile.objects.create(
        user=user,
        centre=ServiceCentre.objects.order_by("code").first(),
        subsystems=list(subsystems),
        institution="DOST",
    )
    TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    return user


def self_employment_case(
    person: Person, *, status: str = CaseStatus.APPROVED, service: str = "self-employment-programme"
) -> Case:
    """An application to the programme, decided as `status` (the catalogue must be imported)."""
    version = eservice_version_current(code=service)
    key = str(uuid.uuid4())
    return Case.objects.create(
        reference=f"SE-{key[:8]}".upper(),
        idempotency_key=key,
        channel="portal",
        person=person,
        service_version=version,
        subsystem=subsystem_code(version_definition(version).subsystem),
        centre=ServiceCentre.objects.order_by("code").first(),
        answers={"business_idea": "A sewing workshop at home"},
        contact_channel="portal",
        submitted_at=timezone.now(),
        submitted_on=timezone.localdate(),
        status=status,
    )


def unemployment_benefit(person: Person, start_on: datetime.date) -> Award:
    award = award_grant(
        person=person,
        kind=AwardKind.UNEMPLOYMENT_BENEFIT,
        amount_qepik=25_000,
        start_on=start_on,
        basis=basis_get_or_create(scheme="unemployment_insurance", on=start_on),
        record={"facts": {}, "steps": {}},
    )
    assert award is not None
    return award


def course(
    *, starts_on: datetime.date, ends_on: datetime.date, seats: int = 10, **changes: Any
) -> TrainingCourse:
    values: dict[str, Any] = {
        "title": "Welding (MIG/MAG)",
        "occupation": Occupation.objects.order_by("code").first(),
        "provider": "Baku vocational training centre",
        "region": Region.BAKU,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "seats": seats,
    }
    values.update(changes)
    return TrainingCourse.objects.create(**values)
