"""Operators, callers and a signed-in operator's browser for the call-log tests (English)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meis.accounts.testing import otp_verified
from meis.callcentre.models import Call, CallTopic
from meis.cases.tests.conftest import staff
from meis.registry.models import Person
from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def operator_(db: None) -> User:
    return staff("op1", "call_centre_operator", None, [])


@pytest.fixture
def operator_2(db: None) -> User:
    return staff("op2", "call_centre_operator", None, [])


@pytest.fixture
def caller(db: None) -> Person:
    someone = cast(Person, PersonFactory())
    IdentityDocumentFactory(person=someone)
    return someone


def desk(user: User) -> Client:
    return otp_verified(Client(), user)


def answer(client: Client) -> Call:
    response = client.post(reverse("callcentre:answer"))
    assert response.status_code == 302
    return Call.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[1])


def topic(code: str) -> CallTopic:
    return CallTopic.objects.get(code=code)


def call_url(call: Call) -> str:
    return reverse("callcentre:call", args=[call.reference])
