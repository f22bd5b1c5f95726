# mypy: disable-error-code="attr-defined,type-arg"
"""Factories for the proactive pipeline's facts."""

from __future__ import annotations

import datetime

import factory

from meis.insurance.models import InsuranceAccount
from meis.lifeevents.models import Birth, DisabilityDecision
from meis.registry.tests.factories import PersonFactory


class InsuranceAccountFactory(factory.django.DjangoModelFactory[InsuranceAccount]):
    class Meta:
        model = InsuranceAccount

    person = factory.SubFactory(PersonFactory)
    record_months = 320
    pension_capital_qepik = 1_000_000
    pre_2006_capital_qepik = 0
    updated_on = datetime.date(2020, 1, 1)


class DisabilityDecisionFactory(factory.django.DjangoModelFactory[DisabilityDecision]):
    class Meta:
        model = DisabilityDecision

    person = factory.SubFactory(PersonFactory)
    degree = "II"
    decided_on = datetime.date(2020, 3, 1)


class BirthFactory(factory.django.DjangoModelFactory[Birth]):
    class Meta:
        model = Birth

    child = factory.SubFactory(PersonFactory, birth_on=datetime.date(2020, 3, 1))
    mother = factory.SubFactory(PersonFactory)
    born_on = datetime.date(2020, 3, 1)
