"""The register's cast: a Baku polyclinic's doctor, a Baku regional commission (a chair and a
member) and the central commission (a chair and a member) that takes the appeals. Only
commissions with members take referrals, so the draw is between these two.
The stories read the services' messages in English."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from conftest import _staff
from meis.accounts.roles import Role
from meis.catalog.services import catalog_import_seed
from meis.certificates.signing import demo_ca_ensure
from meis.disability.reference import CENTRAL, clinic_staff_add, member_add, reference_load
from meis.registry.models import Region

REGIONAL = "tsek-baku-1"


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("signing")
    demo_ca_ensure(directory)
    return directory


@pytest.fixture(autouse=True)
def _signing_key(settings: Any, signing_dir: Path, tmp_path: Path) -> None:
    """The extract of a signed decision is a PDF signed with a demo key of this session."""
    settings.CERTIFICATE_SIGNING_P12 = str(signing_dir / "signing.p12")
    settings.CERTIFICATE_TRUST_ROOTS = str(signing_dir / "ca.pem")
    settings.CERTIFICATE_VERIFY_BASE_URL = "https://meis.example"
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def register(db: None) -> None:
    catalog_import_seed()
    reference_load(on=datetime.date.today())


@pytest.fixture
def doctor(register: None) -> User:
    user = _staff("dr-baku", Role.MEDICAL_STAFF)
    clinic_staff_add(user=user, institution_code=f"poly-{Region.BAKU.value}")
    return user


@pytest.fixture
def doctor_elsewhere(register: None) -> User:
    user = _staff("dr-ganja", Role.MEDICAL_STAFF)
    clinic_staff_add(user=user, institution_code=f"poly-{Region.GANJA_DASHKASAN.value}")
    return user


@pytest.fixture
def regional(register: None) -> tuple[User, User]:
    chair = _staff("tsek-chair", Role.COMMISSION_MEMBER)
    member = _staff("tsek-member", Role.COMMISSION_MEMBER)
    member_add(user=chair, commission_code=REGIONAL, is_chair=True)
    member_add(user=member, commission_code=REGIONAL)
    return chair, member


@pytest.fixture
def central(register: None) -> tuple[User, User]:
    chair = _staff("central-chair", Role.COMMISSION_MEMBER)
    member = _staff("central-member", Role.COMMISSION_MEMBER)
    member_add(user=chair, commission_code=CENTRAL, is_chair=True)
    member_add(user=member, commission_code=CENTRAL)
    return chair, member
