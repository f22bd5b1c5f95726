"""Fixtures of the case engine: the seed catalogue, centres, staff with profiles, uploads."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from meis.accounts.models import CallSession, StaffProfile
from meis.accounts.services import staff_groups_ensure
from meis.accounts.tests.conftest import signed_in_citizen_client, signed_in_staff_client
from meis.catalog.selectors import eservice_version_current
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.core.tests.samples import pdf_bytes

SERVICE = "targeted-social-assistance"
PASSWORD = "correct horse battery staple"


def iban() -> str:
    body = "NABZ" + "0" * 12 + "12345678"
    digits = "".join(str(int(c, 36)) for c in body + "AZ00")
    return f"AZ{98 - int(digits) % 97:02d}{body}"


def answers(**overrides: Any) -> dict[str, Any]:
    data = {
        "members": "4",
        "income_12_months_qepik": "4800",
        "has_vehicle": "no",
        "contact_phone": "050 123 45 67",
        "bank_account_iban": iban(),
    }
    data.update(overrides)
    return data


def pdf(name: str = "card.pdf", text: str = "hello") -> SimpleUploadedFile:
    """A small real PDF (the upload check parses it)."""
    return SimpleUploadedFile(name, pdf_bytes(text), "application/pdf")


def staff(username: str, role: str, centre: ServiceCentre | None, subsystems: list[str]) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=True)
    user.groups.add(staff_groups_ensure()[role])
    StaffProfile.objects.create(user=user, centre=centre, subsystems=subsystems, institution="DOST")
    TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    return user


@pytest.fixture
def version(db: None) -> Any:
    catalog_import_seed()
    return eservice_version_current(code=SERVICE)


@pytest.fixture
def centre(db: None) -> ServiceCentre:
    return ServiceCentre.objects.order_by("code")[0]


@pytest.fixture
def other_centre(db: None) -> ServiceCentre:
    return ServiceCentre.objects.order_by("code")[1]


@pytest.fixture
def worker(centre: ServiceCentre) -> User:
    return staff("w1", "case_worker", centre, ["targeted_assistance"])


@pytest.fixture
def worker_2(centre: ServiceCentre) -> User:
    return staff("w1b", "case_worker", centre, ["targeted_assistance"])


@pytest.fixture
def worker_elsewhere(other_centre: ServiceCentre) -> User:
    return staff("w2", "case_worker", other_centre, ["targeted_assistance"])


@pytest.fixture
def worker_other_subsystem(centre: ServiceCentre) -> User:
    return staff("w3", "case_worker", centre, ["pensions"])


@pytest.fixture
def call_operator(db: None) -> User:
    return staff("op", "call_centre_operator", None, [])


@pytest.fixture
def call_with(call_operator: User) -> Any:
    from django.utils import timezone

    def start(person: Any) -> CallSession:
        return CallSession.objects.create(
            operator=call_operator,
            caller=person,
            reference=f"CALL-{person.pk}",
            identified_by="document+FIN",
            started_at=timezone.now(),
        )

    return start


@pytest.fixture
def staff_client() -> Any:
    return signed_in_staff_client


@pytest.fixture
def citizen_client() -> Any:
    return signed_in_citizen_client


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English wording; reverse() then builds /en/ URLs."""
    with translation.override("en"):
        yield
