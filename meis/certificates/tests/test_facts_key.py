"""A verification compares only the facts' key, and some types read it more cheaply than the
printed rows (three columns of the awards); the cheap key must be the very key the certificate
stored at issue, or every check would say "the facts changed"."""

from __future__ import annotations

import datetime

import pytest

from meis.awards.models import Award, AwardKind, AwardOrigin, AwardStatus, DecisionBasis
from meis.certificates.definitions import TYPES
from meis.certificates.tests.conftest import pension_for
from meis.registry.tests.factories import (
    HouseholdFactory,
    HouseholdMembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
ON = datetime.date(2020, 3, 16)


def award(person, kind: str, *, household=None, **fields) -> Award:
    basis, _ = DecisionBasis.objects.get_or_create(
        scheme="t", on=ON, rules_version="t", parameters={}
    )
    values = {"amount_qepik": 10_000, "start_on": datetime.date(2019, 5, 1), **fields}
    return Award.objects.create(
        person=person,
        household=household,
        kind=kind,
        exclusivity_group=kind,
        origin=AwardOrigin.CASE_DECISION,
        basis=basis,
        record={},
        **values,
    )


def assistance_for(household, *, amount_qepik: int) -> Award:
    basis, _ = DecisionBasis.objects.get_or_create(
        scheme="targeted_assistance", on=ON, rules_version="t", parameters={}
    )
    return Award.objects.create(
        person=PersonFactory.create(),  # the applicant: the head, not the certificate's holder
        household=household,
        kind=AwardKind.TARGETED_ASSISTANCE,
        exclusivity_group="targeted_assistance",
        amount_qepik=amount_qepik,
        start_on=datetime.date(2020, 2, 1),
        origin=AwardOrigin.CASE_DECISION,
        basis=basis,
        record={},
    )


@pytest.mark.parametrize("certificate_type", [t for t in TYPES if t.key], ids=lambda t: t.code)
def test_the_cheap_key_is_the_facts_own_key(certificate_type, citizen):
    assert certificate_type.facts_key(citizen, ON) == certificate_type.facts(citizen, ON).key

    pension_for(citizen, amount_qepik=31_000)
    household = HouseholdFactory()
    HouseholdMembershipFactory(household=household, person=citizen, joined_on=ON.replace(year=2019))
    assistance_for(household, amount_qepik=24_000)

    key = certificate_type.facts_key(citizen, ON)
    assert key == certificate_type.facts(citizen, ON).key
    assert key["awards"]  # each type sees the award it is about


@pytest.mark.parametrize("certificate_type", [t for t in TYPES if t.key], ids=lambda t: t.code)
def test_the_cheap_key_leaves_out_what_the_facts_leave_out(certificate_type, citizen):
    """Ended, future, suspended and one-off awards, and a household the holder has left."""
    award(citizen, AwardKind.SURVIVOR_PENSION, end_on=datetime.date(2020, 3, 15))
    award(citizen, AwardKind.OLD_AGE_PENSION, start_on=datetime.date(2020, 4, 1))
    award(citizen, AwardKind.DISABILITY_PENSION, status=AwardStatus.SUSPENDED)
    award(citizen, AwardKind.CHILDBIRTH_BENEFIT, is_one_off=True)
    award(citizen, AwardKind.AGE_BENEFIT, end_on=ON)  # still paid on its last day
    left = HouseholdFactory()
    HouseholdMembershipFactory(
        household=left, person=citizen, joined_on=datetime.date(2015, 1, 1), left_on=ON
    )
    assistance_for(left, amount_qepik=9_000)

    assert certificate_type.facts_key(citizen, ON) == certificate_type.facts(citizen, ON).key
