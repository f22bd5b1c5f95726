# mypy: disable-error-code="no-untyped-def,misc,arg-type"
"""The registers' facts for one person, and how the citizen's answers join them."""

from __future__ import annotations

import datetime

import pytest

from meis.eligibility.selectors import EligibilityError, application_facts, facts_gather
from meis.eligibility.sheet import Provenance, facts_merge
from meis.insurance.models import Contribution
from meis.proactive.tests.factories import BirthFactory, InsuranceAccountFactory
from meis.registry.tests.factories import HouseholdMembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2020, 3, 19)


def worker_with_contributions(months: list[datetime.date]):
    person = PersonFactory(birth_on=datetime.date(1985, 1, 1))
    InsuranceAccountFactory(person=person, record_months=60)
    for month in months:
        Contribution.objects.create(person=person, month_on=month, amount_qepik=5_000)
    return person


def test_every_fact_of_a_pension_comes_from_a_register_and_says_which():
    person = PersonFactory(sex="M", birth_on=datetime.date(1955, 9, 2))
    InsuranceAccountFactory(person=person, record_months=320, pension_capital_qepik=1)

    sheet = facts_gather(scheme="old_age_pension", person=person, on=ON)

    assert sheet.values() == {
        "sex": "male",
        "birth_on": datetime.date(1955, 9, 2),
        "insurance_record_months": 320,
        "pension_capital_qepik": 1,
    }
    assert sheet.facts["insurance_record_months"].register == "insurance_account"
    assert sheet.to_declare == ()


def test_a_person_without_an_insurance_account_has_no_record_and_a_note_says_so():
    sheet = facts_gather(scheme="old_age_pension", person=PersonFactory(), on=ON)

    assert sheet.facts["insurance_record_months"].value == 0
    assert [note.code for note in sheet.notes] == ["no_insurance_account"]


def test_the_record_of_the_last_24_and_36_months_counts_months_with_contributions_before_this():
    months = [datetime.date(2017, 1, 1), datetime.date(2018, 6, 1), datetime.date(2020, 2, 1)]
    person = worker_with_contributions([*months, datetime.date(2020, 3, 1)])

    sheet = facts_gather(scheme="unemployment_insurance", person=person, on=ON)

    assert sheet.facts["record_months_last_24"].value == 2  # June 2018 and February 2020
    assert sheet.facts["record_months_last_36"].value == 2  # January 2017 is 38 months back
    # No contract in the register: the dismissal and the wages are declared. The employment
    # register always answers the registration (here: not registered).
    assert set(sheet.to_declare) == {"dismissal_ground", "wages_12_months_qepik"}
    assert sheet.facts["is_registered_unemployed"].value is False


def test_dependent_children_are_the_living_children_under_18_by_birth_or_household():
    parent = PersonFactory(birth_on=datetime.date(1980, 1, 1))
    membership = HouseholdMembershipFactory(person=parent)
    BirthFactory(mother=parent, born_on=datetime.date(2019, 5, 5))
    HouseholdMembershipFactory(
        household=membership.household,
        person=PersonFactory(birth_on=datetime.date(2010, 1, 1)),
        relation="child",
    )
    HouseholdMembershipFactory(
        household=membership.household,
        person=PersonFactory(birth_on=datetime.date(2000, 1, 1)),  # 20: no longer a child
        relation="child",
    )

    sheet = facts_gather(scheme="unemployment_insurance", person=parent, on=ON)

    assert sheet.facts["dependent_children"].value == 2


def test_a_scheme_no_register_answers_is_refused_by_name():
    with pytest.raises(EligibilityError, match="contributions"):
        facts_gather(scheme="contributions", person=PersonFactory(), on=ON)


def test_an_answer_that_confirms_the_register_keeps_the_register_as_the_source():
    person = PersonFactory(sex="F", birth_on=datetime.date(1958, 9, 2))
    sheet = facts_gather(scheme="old_age_pension", person=person, on=ON)

    merged = facts_merge(sheet, {"birth_on": "1958-09-02", "sex": ""})

    assert merged.facts["birth_on"].provenance == Provenance.REGISTRY
    assert merged.facts["sex"].provenance == Provenance.REGISTRY
    assert merged.contradictions == ()


def test_an_answer_that_contradicts_the_register_is_used_as_declared_with_both_values_kept():
    person = PersonFactory(sex="F", birth_on=datetime.date(1958, 9, 2))
    sheet = facts_gather(scheme="old_age_pension", person=person, on=ON)

    merged = facts_merge(sheet, {"insurance_record_months": 310})

    fact = merged.facts["insurance_record_months"]
    assert (fact.value, fact.provenance, fact.registry_value) == (310, Provenance.DECLARED, 0)
    assert merged.contradictions == ("insurance_record_months",)
    assert merged.as_json()["insurance_record_months"] == {
        "value": 310,
        "provenance": "declared",
        "registry_value": 0,
        "is_contradicted": True,
    }


def test_a_fact_no_register_holds_is_the_citizens_declaration_or_missing():
    person = worker_with_contributions([])

    merged = application_facts(
        scheme="unemployment_insurance",
        applicant=person,
        answers={"dismissal_ground": "liquidation", "is_registered_unemployed": True},
        on=ON,
    )

    assert merged.facts["dismissal_ground"].provenance == Provenance.DECLARED
    assert merged.missing == ("wages_12_months_qepik",)


def test_a_rule_no_register_answers_for_takes_the_answers_alone():
    merged = application_facts(
        scheme="minimum_wage",
        applicant=PersonFactory(),
        answers={"monthly_wage_qepik": 25_000},
        on=ON,
    )

    assert merged.facts["monthly_wage_qepik"].provenance == Provenance.DECLARED
    assert merged.missing == ("weekly_hours",)
