"""Fixtures of E-Arayış: a demo signing key per test session, the seed catalogue, a pensioner."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from meis.api.models import ApiClient, Scope
from meis.api.services import client_register
from meis.awards.models import Award, AwardKind, AwardOrigin, DecisionBasis
from meis.catalog.services import catalog_import_seed
from meis.certificates.signing import demo_ca_ensure


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("signing")
    demo_ca_ensure(directory)
    return directory


@pytest.fixture(autouse=True)
def _signing_key(settings: Any, signing_dir: Path, tmp_path: Path) -> None:
    settings.CERTIFICATE_SIGNING_P12 = str(signing_dir / "signing.p12")
    settings.CERTIFICATE_TRUST_ROOTS = str(signing_dir / "ca.pem")
    settings.CERTIFICATE_VERIFY_BASE_URL = "https://meis.example"
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def catalogue(db: None) -> None:
    catalog_import_seed()


def pension_for(person: Any, *, amount_qepik: int = 42_550) -> Award:
    basis, _ = DecisionBasis.objects.get_or_create(
        scheme="old_age_pension", on=datetime.date(2020, 1, 1), rules_version="t", parameters={}
    )
    return Award.objects.create(
        person=person,
        kind=AwardKind.OLD_AGE_PENSION,
        exclusivity_group="labour_pension",
        amount_qepik=amount_qepik,
        start_on=datetime.date(2020, 1, 1),
        origin=AwardOrigin.CASE_DECISION,
        basis=basis,
        record={},
    )


@pytest.fixture
def pensioner(citizen: Any) -> Any:
    citizen.last_name = "Əliyeva"
    citizen.first_name = "Gülşən"
    citizen.patronymic = "İsmayıl qızı"
    citizen.save()
    pension_for(citizen)
    return citizen


def bank_api(institution: str = "Kapital Bank", address: str = "10.1.2.3") -> Client:
    """A bank's system as the API sees it: registered with certificates:verify, holding a
    bearer token from POST /api/v1/token, calling from `address`."""
    _, issued = client_register(
        name=f"bank-{ApiClient.objects.count() + 1}",
        institution=institution,
        scopes=[Scope.CERTIFICATES_VERIFY],
    )
    token = Client(REMOTE_ADDR=address).post(
        "/api/v1/token",
        {
            "grant_type": "client_credentials",
            "client_id": issued.key_id,
            "client_secret": issued.secret,
        },
    )
    assert token.status_code == 200, token.content
    return Client(REMOTE_ADDR=address, HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
