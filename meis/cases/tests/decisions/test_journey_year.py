"""Issue 14's "done when", a year on: the family's targeted assistance, granted on their
application, is reminded 30 days before its twelve months end and then ends; a death in the
registry ends a pensioner's award from the next month."""

from __future__ import annotations

import datetime
from typing import cast

import pytest

from meis.awards.models import Award, AwardEndReason, AwardKind, AwardOrigin, AwardStatus
from meis.awards.services.ending import awards_end_due
from meis.cases.tests.conftest import answers
from meis.cases.tests.decisions.test_journey import act, apply, at
from meis.lifeevents.models import HouseholdMeans
from meis.notifications.models import Message
from meis.registry.models import Household, Relation
from meis.registry.tests.factories import HouseholdFactory, HouseholdMembershipFactory

pytestmark = pytest.mark.django_db


def a_family_of_four_on_400_manat(citizen) -> None:
    family = cast(Household, HouseholdFactory())
    HouseholdMembershipFactory(household=family, person=citizen, relation=Relation.HEAD)
    for relation in (Relation.SPOUSE, Relation.CHILD, Relation.CHILD):
        HouseholdMembershipFactory(household=family, relation=relation)
    HouseholdMeans.objects.create(
        household=family,
        income_12_months_qepik=480_000,
        purchases_sales_12_months_qepik=0,
        has_vehicle=False,
        refused_suitable_jobs=0,
        utility_spending_12_months_qepik=0,
        same_purpose_real_estate_units=0,
        declaration_matches_checks=True,
        updated_on=datetime.date(2020, 1, 1),
    )


def test_assistance_granted_on_an_application_is_reminded_and_ends_after_twelve_months(
    citizen, version, centre, worker, citizen_client, staff_client
):
    a_family_of_four_on_400_manat(citizen)
    with at(2020, 3, 19):
        case = apply(
            citizen_client(citizen),
            centre,
            "targeted-social-assistance",
            answers(),
            ["identity_card", "family_composition_certificate"],
        )
        officer = staff_client(worker)
        act(officer, case, "claim")
        assert act(officer, case, "approve", amount="240.00").status_code == 302
    award = Award.objects.get(person=citizen, kind=AwardKind.TARGETED_ASSISTANCE)
    assert award.origin == AwardOrigin.CASE_DECISION
    assert award.origin_reference == case.reference
    assert award.end_on == datetime.date(2021, 2, 28)  # twelve months from 1 March 2020

    awards_end_due(on=datetime.date(2021, 1, 28))  # 31 days before: nothing yet
    assert not Message.objects.filter(person=citizen, event="award_renewal_reminder").exists()
    awards_end_due(on=datetime.date(2021, 1, 29))  # 30 days before the end
    awards_end_due(on=datetime.date(2021, 1, 30))  # and only once
    assert Message.objects.filter(person=citizen, event="award_renewal_reminder").count() >= 1
    reminders = Message.objects.filter(person=citizen, event="award_renewal_reminder")
    assert reminders.values("channel").distinct().count() == reminders.count()

    awards_end_due(on=datetime.date(2021, 3, 1))
    award.refresh_from_db()
    assert (award.status, award.end_reason) == (AwardStatus.ENDED, AwardEndReason.TERM)
    assert Message.objects.filter(person=citizen, event="award_ended").exists()


def test_a_death_in_the_registry_ends_an_award_granted_on_an_application(
    citizen, version, centre, worker, citizen_client, staff_client
):
    a_family_of_four_on_400_manat(citizen)
    with at(2020, 3, 19):
        case = apply(
            citizen_client(citizen),
            centre,
            "targeted-social-assistance",
            answers(),
            ["identity_card", "family_composition_certificate"],
        )
        officer = staff_client(worker)
        act(officer, case, "claim")
        act(officer, case, "approve", amount="240.00")
    citizen.died_on = datetime.date(2020, 6, 10)
    citizen.save(update_fields=["died_on"])

    awards_end_due(on=datetime.date(2020, 6, 11))

    award = Award.objects.get(person=citizen, kind=AwardKind.TARGETED_ASSISTANCE)
    assert (award.status, award.end_reason) == (AwardStatus.ENDED, AwardEndReason.DEATH)
    assert award.end_on == datetime.date(2020, 6, 30)
