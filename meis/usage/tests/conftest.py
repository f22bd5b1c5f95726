"""Fixtures of the usage tests: the case engine's (a service, a centre, the registers' facts, a
refused pension to appeal) and two 142 operators."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from meis.cases.tests.conftest import call_operator, call_with, centre, staff, version
from meis.cases.tests.decisions.conftest import pensions_worker, registers
from meis.cases.tests.decisions.test_appeals import refused_pension

__all__ = [
    "call_operator",
    "call_with",
    "centre",
    "operators",
    "pensions_worker",
    "refused_pension",
    "registers",
    "version",
]


@pytest.fixture
def operators(db: None) -> tuple[User, User]:
    return (
        staff("op1", "call_centre_operator", None, []),
        staff("op2", "call_centre_operator", None, []),
    )
