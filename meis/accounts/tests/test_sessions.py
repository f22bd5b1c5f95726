# mypy: disable-error-code="attr-defined,misc"
"""Sessions: idle expiry, absolute expiry, sign-out and sign-out everywhere."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from meis.accounts.tests.conftest import signed_in_citizen_client

pytestmark = pytest.mark.django_db

# The English pages: these tests read their wording.
with translation.override("en"):
    RECORD = reverse("accounts:my_record")
    SIGN_IN = reverse("accounts:citizen_sign_in")


def test_an_idle_session_ends_after_15_minutes(citizen):
    with time_machine.travel("2026-03-02 10:00 +04:00", tick=False) as traveller:
        client = signed_in_citizen_client(citizen)
        assert client.get(RECORD).status_code == 200
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        response = client.get(RECORD)
    assert response.status_code == 302
    assert response.url == f"{SIGN_IN}?next=%2Fen%2Fmy%2Frecord%2F"


def test_an_idle_expiry_explains_itself_on_the_sign_in_page(citizen):
    with time_machine.travel("2026-03-02 10:00 +04:00", tick=False) as traveller:
        client = signed_in_citizen_client(citizen)
        traveller.shift(datetime.timedelta(minutes=16))
        response = client.get(RECORD, follow=True)
    assert "15 minutes without activity" in response.content.decode()


def test_activity_keeps_a_session_alive(citizen):
    with time_machine.travel("2026-03-02 10:00 +04:00", tick=False) as traveller:
        client = signed_in_citizen_client(citizen)
        for _ in range(4):
            traveller.shift(datetime.timedelta(minutes=10))
            assert client.get(RECORD).status_code == 200


@override_settings(MEIS_SESSION_ABSOLUTE_AGE=3600)
def test_an_active_session_ends_at_the_absolute_age(citizen):
    with time_machine.travel("2026-03-02 10:00 +04:00", tick=False) as traveller:
        client = signed_in_citizen_client(citizen)
        for _ in range(6):
            traveller.shift(datetime.timedelta(minutes=10))
            client.get(RECORD)
        traveller.shift(datetime.timedelta(minutes=1))
        response = client.get(RECORD, follow=True)
    assert response.redirect_chain[0][0].startswith(SIGN_IN)
    assert "Your session has ended" in response.content.decode()


def test_sign_out_ends_the_session(citizen):
    client = signed_in_citizen_client(citizen)
    client.post(reverse("accounts:sign_out"))
    assert client.get(RECORD).status_code == 302


def test_sign_out_everywhere_ends_the_other_sessions(citizen):
    phone = signed_in_citizen_client(citizen)
    laptop = signed_in_citizen_client(citizen)
    laptop.post(reverse("accounts:sign_out_everywhere"))
    assert phone.get(RECORD).status_code == 302


def test_signing_in_again_after_sign_out_everywhere_works(citizen):
    signed_in_citizen_client(citizen).post(reverse("accounts:sign_out_everywhere"))
    assert signed_in_citizen_client(citizen).get(RECORD).status_code == 200


def test_sign_out_needs_a_post(citizen):
    client = signed_in_citizen_client(citizen)
    assert client.get(reverse("accounts:sign_out")).status_code == 405


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(pk=client.cookies["sessionid"].value).expire_date


def test_a_request_soon_after_the_last_write_does_not_write_the_session(citizen):
    with time_machine.travel("2026-03-02 10:00 +04:00", tick=False) as traveller:
        client = signed_in_citizen_client(citizen)
        written = _expiry(client)
        traveller.shift(datetime.timedelta(seconds=30))
        assert client.get(RECORD).status_code == 200
        assert _expiry(client) == written


def test_a_request_a_minute_after_the_last_write_moves_the_expiry_forward(citizen):
    with time_machine.travel("2026-03-02 10:00 +04:00", tick=False) as traveller:
        client = signed_in_citizen_client(citizen)
        written = _expiry(client)
        traveller.shift(datetime.timedelta(minutes=1))
        assert client.get(RECORD).status_code == 200
        assert _expiry(client) == written + datetime.timedelta(minutes=1)


def test_requests_every_14_minutes_keep_a_session_alive_and_then_idleness_ends_it(citizen):
    with time_machine.travel("2026-03-02 10:00 +04:00", tick=False) as traveller:
        client = signed_in_citizen_client(citizen)
        for _ in range(5):
            traveller.shift(datetime.timedelta(minutes=14))
            assert client.get(RECORD).status_code == 200
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        assert client.get(RECORD).status_code == 302
