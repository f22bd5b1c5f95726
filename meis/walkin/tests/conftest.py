"""The walk-in queue's reference data: the seeded groups and counters of every centre (a
transactional test's flush empties them, as it does the centres the root conftest re-seeds)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from meis.centres.models import ServiceCentre
from meis.walkin.models import Counter, ServiceGroup


def seed_groups_and_counters() -> None:
    importlib.import_module("meis.walkin.migrations.0002_seed_groups_and_counters").seed(apps, None)


@pytest.fixture
def centre(db: None) -> ServiceCentre:
    seed_groups_and_counters()
    return ServiceCentre.objects.get(code="baku-1")


def group(centre: ServiceCentre, letter: str) -> ServiceGroup:
    return ServiceGroup.objects.get(centre=centre, letter=letter)


def counter(centre: ServiceCentre, number: int) -> Counter:
    return Counter.objects.get(centre=centre, number=number)
