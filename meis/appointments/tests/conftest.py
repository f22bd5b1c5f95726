"""Fixtures of the appointment stories: March 2020 in Baku, a centre's staff, a 142 operator
with an open call, and a decided case whose result is handed over in person."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import translation

from meis.accounts.tests.conftest import signed_in_citizen_client, signed_in_staff_client
from meis.cases.tests.conftest import call_operator, call_with, staff, version  # noqa: F401
from meis.cases.tests.decisions.conftest import registers  # noqa: F401
from meis.centres.models import ServiceCentre

BAKU = datetime.timezone(datetime.timedelta(hours=4))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """A moment in Baku time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BAKU)


# Monday 16 March 2020, 10:00: restricted reception (appointments only, listed services).
MONDAY_16_MARCH = at(2020, 3, 16, 10)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def march_16() -> Iterator[Any]:
    with time_machine.travel(MONDAY_16_MARCH, tick=False) as traveller:
        yield traveller


@pytest.fixture
def centre(db: None) -> ServiceCentre:
    return ServiceCentre.objects.get(code="baku-1")


@pytest.fixture
def other_centre(db: None) -> ServiceCentre:
    return ServiceCentre.objects.get(code="baku-2")


@pytest.fixture
def worker(centre: ServiceCentre) -> User:
    return staff("w1", "case_worker", centre, ["targeted_assistance"])


@pytest.fixture
def worker_elsewhere(other_centre: ServiceCentre) -> User:
    return staff("w2", "case_worker", other_centre, ["targeted_assistance"])


@pytest.fixture
def citizen_client() -> Any:
    return signed_in_citizen_client


@pytest.fixture
def staff_client() -> Any:
    return signed_in_staff_client
