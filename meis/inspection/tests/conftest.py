"""Contracts in the register, an inspector, and signed-in clients for the inspection tests."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meis.accounts.tests import factories
from meis.labour.models import Assurance, Contract
from meis.labour.services import contract_conclude
from meis.labour.tests.factories import EmployerFactory, draft
from meis.registry.models import Person

BAKU = ZoneInfo("Asia/Baku")
OTP = Assurance.ONE_TIME_CODE


@pytest.fixture(autouse=True)
def _friday_13_march_2020() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2020, 3, 13, 10, tzinfo=BAKU), tick=False):
        yield


def hire(person: Person, **changes: object) -> Contract:
    return contract_conclude(
        employer=EmployerFactory.create(),
        draft=draft(person.fin, **changes),
        actor=None,
        assurance=OTP,
    )


@pytest.fixture
def contract(citizen: Person) -> Contract:
    return hire(citizen)


@pytest.fixture
def inspector():
    return factories.staff_user("labour_inspector", institution="State Labour Inspection")
