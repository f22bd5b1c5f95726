"""Personas for the accounts and audit tests: citizens, staff of two centres and every role."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.tests import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen_document(db):
    return factories.IdentityDocumentFactory()


@pytest.fixture
def citizen(citizen_document):
    return citizen_document.person


@pytest.fixture
def other_citizen(db):
    return factories.IdentityDocumentFactory().person


@pytest.fixture
def registered_citizen(citizen):
    """The citizen has an open targeted-assistance registration at centre baku-1."""
    factories.registration(citizen, centre_code="baku-1")
    return citizen


@pytest.fixture
def case_worker(db):
    return factories.staff_user(
        "case_worker",
        centre_code="baku-1",
        subsystems=["targeted_assistance"],
        institution="Baku DOST centre No. 1",
    )


@pytest.fixture
def other_centre_case_worker(db):
    return factories.staff_user(
        "case_worker",
        centre_code="baku-2",
        subsystems=["targeted_assistance"],
        institution="Baku DOST centre No. 2",
    )


@pytest.fixture
def operator(db):
    return factories.staff_user("call_centre_operator", institution="Call centre 142")


@pytest.fixture
def analyst(db):
    return factories.staff_user("analyst", institution="Ministry statistics")


@pytest.fixture
def auditor(db):
    return factories.staff_user("auditor", institution="Internal audit")


@pytest.fixture
def administrator(db):
    return factories.staff_user("administrator", institution="Ministry IT")


def totp_now(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def signed_in_staff_client(user) -> Client:
    """A client signed in with password and a verified TOTP device, as after staff sign-in."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def signed_in_citizen_client(person) -> Client:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    return client


@pytest.fixture
def staff_client():
    return signed_in_staff_client


@pytest.fixture
def citizen_client():
    return signed_in_citizen_client


@pytest.fixture(autouse=True)
def _english_pages():
    """These tests read the English wording; reverse() then builds /en/ URLs. Tests about the
    other languages ask for /az/ and /ru/ explicitly."""
    with translation.override("en"):
        yield
