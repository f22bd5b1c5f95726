# mypy: disable-error-code="attr-defined,type-arg"
"""Factories for the veterans' registers."""

from __future__ import annotations

import datetime

import factory

from meis.registry.tests.factories import PersonFactory
from meis.veterans.models import StipendStatus


class StipendStatusFactory(factory.django.DjangoModelFactory[StipendStatus]):
    class Meta:
        model = StipendStatus

    person = factory.SubFactory(PersonFactory)
    category = "war_disabled"
    degree = "II"
    authority = "defence"
    recorded_on = datetime.date(2020, 3, 1)
    document_number = factory.Sequence(lambda n: f"MN-{n:06d}")
