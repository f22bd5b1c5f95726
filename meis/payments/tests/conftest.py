# mypy: disable-error-code="no-untyped-def"
"""Fixtures of the payments' tests: the bank directory, two administrators, an IBAN maker."""

from __future__ import annotations

import importlib
from typing import Any, cast

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from meis.accounts.services import staff_groups_ensure
from meis.core.identifiers import iban_with_check_digits
from meis.registry.models import Person
from meis.registry.tests.factories import PersonFactory


@pytest.fixture(autouse=True)
def banks(db: None) -> None:
    """The seeded directory (again: a transactional test elsewhere may have flushed it)."""
    importlib.import_module("meis.payments.migrations.0002_seed_banks").seed(apps, None)


@pytest.fixture
def second_administrator(db: None) -> User:
    user = User.objects.create_user(username="persona-admin-2", password="x", is_staff=True)
    user.groups.add(staff_groups_ensure()["administrator"])
    return user


def iban(bank_code: str = "AIIB", account: int = 1) -> str:
    return iban_with_check_digits(bank_code, f"{account:020d}")


def person_make(**fields: Any) -> Person:
    return cast(Person, PersonFactory(**fields))
