"""Fixtures of the decision and appeal stories: the registers' facts, a centre head and the
pension case workers of the centre (the targeted-assistance workers are the cases' own)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from meis.cases import decision_selectors
from meis.cases.tests.conftest import staff
from meis.cases.tests.decisions.stories import Registers
from meis.centres.models import ServiceCentre


@pytest.fixture
def registers(monkeypatch: pytest.MonkeyPatch) -> Registers:
    stub = Registers()
    monkeypatch.setattr(decision_selectors, "case_rules_result", stub)
    return stub


@pytest.fixture
def head(centre: ServiceCentre) -> User:
    return staff("head1", "centre_head", centre, [])


@pytest.fixture
def pensions_worker(centre: ServiceCentre) -> User:
    return staff("p1", "case_worker", centre, ["pensions"])


@pytest.fixture
def pensions_worker_2(centre: ServiceCentre) -> User:
    return staff("p2", "case_worker", centre, ["pensions"])
