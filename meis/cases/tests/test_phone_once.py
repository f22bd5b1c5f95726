"""The phone number is asked once: not among a service's questions, only at the contact step,
which offers the citizen's confirmed mobile number (no new code needed for it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meis.cases.models import ApplicationDraft
from meis.cases.tests.conftest import SERVICE
from meis.catalog.selectors import eservice_version_current, version_definition

pytestmark = pytest.mark.django_db

ONLINE_SERVICES = [
    "targeted-social-assistance",
    "disability-assessment",
    "old-age-pension",
    "childbirth-benefit",
    "job-seeker-registration",
]


@pytest.mark.parametrize("code", ONLINE_SERVICES)
def test_no_service_asks_for_a_phone_among_its_questions(version, code):
    fields = version_definition(eservice_version_current(code=code)).fields
    assert [f.name for f in fields if f.type == "phone"] == []


def _url(name: str) -> str:
    return reverse(f"cases:{name}", kwargs={"code": SERVICE})


def test_the_contact_step_offers_the_confirmed_mobile_number(citizen, version, citizen_client):
    citizen.verified_phone = "+994501234567"
    citizen.save(update_fields=["verified_phone"])
    client = citizen_client(citizen)
    client.post(_url("apply"))

    questions = client.get(_url("apply_questions")).content.decode()
    assert "contact_phone" not in questions

    page = client.get(_url("apply_contact")).content.decode()
    assert 'data-testid="verified-phone"' in page
    assert 'value="+994501234567"' in page
    assert 'value="sms" checked' in page


def test_the_confirmed_number_needs_no_new_code(citizen, version, centre, citizen_client):
    citizen.verified_phone = "+994501234567"
    citizen.save(update_fields=["verified_phone"])
    client = citizen_client(citizen)
    client.post(_url("apply"))
    response = client.post(
        _url("apply_contact"), {"centre": centre.pk, "channel": "sms", "value": "+994501234567"}
    )
    assert response["Location"] == _url("apply_check")
    draft = ApplicationDraft.objects.get(person=citizen)
    assert (draft.contact_channel, draft.contact_value) == ("sms", "+994501234567")


def test_without_a_confirmed_number_nothing_is_prefilled(citizen, version, citizen_client):
    citizen.verified_phone = ""
    citizen.save(update_fields=["verified_phone"])
    client = citizen_client(citizen)
    client.post(_url("apply"))
    page = client.get(_url("apply_contact")).content.decode()
    assert 'data-testid="verified-phone"' not in page
    assert 'value="sms" checked' not in page
