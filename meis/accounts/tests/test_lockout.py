# mypy: disable-error-code="attr-defined,misc"
"""Brute force: pauses per FİN and per client address, and rate limits on code requests."""

import datetime

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from meis.accounts.services import citizen_code_request
from meis.notifications.models import Message

pytestmark = pytest.mark.django_db

# The English pages: these tests read their wording.
with translation.override("en"):
    SIGN_IN = reverse("accounts:citizen_sign_in")
    CODE = reverse("accounts:citizen_code")


def wrong_pair(client, fin, *, address="10.0.0.1"):
    return client.post(SIGN_IN, {"document_number": "AA9999999", "fin": fin}, REMOTE_ADDR=address)


@override_settings(MEIS_CODE_REQUEST_LIMIT=100)
def test_a_fin_is_paused_after_five_failed_sign_ins(client, citizen, citizen_document):
    for _ in range(5):
        wrong_pair(client, citizen.fin)
    response = client.post(
        SIGN_IN, {"document_number": citizen_document.number, "fin": citizen.fin}
    )
    assert response.status_code == 429
    assert "Try again after" in response.content.decode()
    assert Message.objects.count() == 0


@override_settings(MEIS_CODE_REQUEST_LIMIT=100)
def test_the_pause_message_names_the_time_to_retry(client, citizen):
    with time_machine.travel("2026-03-02 10:00 +04:00", tick=False):
        for _ in range(6):
            response = wrong_pair(client, citizen.fin)
    assert "10:15" in response.content.decode()


@override_settings(MEIS_CODE_REQUEST_LIMIT=100)
def test_the_pause_ends_after_the_cool_off(client, citizen, citizen_document):
    with time_machine.travel("2026-03-02 10:00 +04:00", tick=False) as traveller:
        for _ in range(5):
            wrong_pair(client, citizen.fin)
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        response = client.post(
            SIGN_IN, {"document_number": citizen_document.number, "fin": citizen.fin}
        )
    assert response.status_code == 302


@override_settings(MEIS_CODE_REQUEST_LIMIT=100, MEIS_CODE_REQUEST_LIMIT_PER_ADDRESS=100)
def test_an_address_is_paused_after_twenty_failures_across_many_fins(client, citizen):
    for n in range(20):
        wrong_pair(client, f"7ZZZZ{n:02d}", address="10.0.0.9")
    blocked = wrong_pair(client, "5VBK5VR", address="10.0.0.9")
    elsewhere = wrong_pair(Client(), "5VBK5VR", address="10.0.0.10")
    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


def test_codes_can_be_requested_three_times_per_fin(client, citizen, citizen_document):
    data = {"document_number": citizen_document.number, "fin": citizen.fin}
    statuses = [client.post(SIGN_IN, data).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Message.objects.count() == 3


def test_codes_are_rate_limited_per_address(db):
    outcomes = [
        citizen_code_request(fin=f"7ZZZZ{n:02d}", document_number="AA9999999", request=None)
        for n in range(11)
    ]
    assert outcomes[-1].blocked_until is not None


def test_a_locked_fin_looks_the_same_whether_or_not_it_exists(client, citizen):
    for _ in range(4):
        known = wrong_pair(client, citizen.fin)
        unknown = wrong_pair(client, "7ZZZZZZ")
    assert known.status_code == unknown.status_code == 429


def test_wrong_codes_count_towards_the_pause_of_the_fin(client, citizen, citizen_document):
    data = {"document_number": citizen_document.number, "fin": citizen.fin}
    for _ in range(2):
        client.post(SIGN_IN, data)
        for _ in range(3):
            client.post(CODE, {"code": "000000"})
    client.post(SIGN_IN, data)
    response = client.post(CODE, {"code": "000000"})
    assert response.status_code == 429
