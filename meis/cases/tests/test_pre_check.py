# mypy: disable-error-code="no-untyped-def,misc,arg-type,attr-defined"
"""The pre-check of an application reads the registers: for each of the ten rules-backed
services a qualifying person is eligible with the amount, a refused one is told the legal
ground, a near miss is named, and only a fact no register holds makes it incomplete."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.utils import timezone, translation

from meis.awards.models import AwardKind
from meis.awards.services import award_grant, basis_get_or_create
from meis.cases.models import Case
from meis.cases.selectors import case_pre_check, case_rules_result
from meis.cases.services.common import subsystem_code
from meis.catalog.handlers import PreCheckOutcome
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.lifeevents.models import HouseholdMeans
from meis.proactive.tests.factories import (
    BirthFactory,
    DisabilityDecisionFactory,
    InsuranceAccountFactory,
)
from meis.registry.tests.factories import (
    HouseholdFactory,
    HouseholdMembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

ON = datetime.date(2020, 3, 19)
# A man born 2 September 1955 reaches the pension age then, 64 years 6 months, on 2 March 2020;
# a woman born 2 September 1958 reaches hers, 61 years 6 months, the same day.
MAN_BORN = datetime.date(1955, 9, 2)
WOMAN_BORN = datetime.date(1958, 9, 2)


@pytest.fixture(autouse=True)
def _catalogue(db):
    catalog_import_seed()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def applies(person, service: str, **answers: Any) -> Case:
    version = eservice_version_current(code=service)
    key = str(uuid.uuid4())
    return Case.objects.create(
        reference=f"T-{key[:12]}",
        idempotency_key=key,
        channel="portal",
        person=person,
        service_version=version,
        subsystem=subsystem_code(version_definition(version).subsystem),
        centre=ServiceCentre.objects.order_by("code").first(),
        answers=answers,
        contact_channel="portal",
        submitted_at=timezone.now(),
        submitted_on=ON,
    )


def family(*, members: int = 4, **means: Any):
    """A head of a household of `members`, with the household's means in the registers."""
    head = PersonFactory(birth_on=datetime.date(1985, 1, 1))
    membership = HouseholdMembershipFactory(person=head)
    for _ in range(members - 1):
        HouseholdMembershipFactory(household=membership.household, relation="child")
    HouseholdMeans.objects.create(
        household=membership.household,
        **{
            "income_12_months_qepik": 400 * 12 * 100,
            "purchases_sales_12_months_qepik": 0,
            "has_vehicle": False,
            "refused_suitable_jobs": 0,
            "utility_spending_12_months_qepik": 20_000,
            "same_purpose_real_estate_units": 1,
            "declaration_matches_checks": True,
            "updated_on": datetime.date(2020, 3, 1),
            **means,
        },
    )
    return head


def pensioner(*, record: int, capital: int = 100_000, sex: str = "M", born=MAN_BORN):
    person = PersonFactory(sex=sex, birth_on=born)
    InsuranceAccountFactory(person=person, record_months=record, pension_capital_qepik=capital)
    return person


def disabled_adult(*, record: int, degree: str = "II"):
    person = PersonFactory(birth_on=datetime.date(1980, 1, 1))
    InsuranceAccountFactory(person=person, record_months=record, pension_capital_qepik=100_000)
    DisabilityDecisionFactory(person=person, degree=degree, decided_on=datetime.date(2020, 3, 1))
    return person


def parent_of_disabled_child(*, child_born=datetime.date(2012, 5, 1), decided_on=ON):
    parent = PersonFactory(birth_on=datetime.date(1984, 2, 2))
    child = PersonFactory(birth_on=child_born)
    BirthFactory(child=child, mother=parent, born_on=child_born)
    DisabilityDecisionFactory(person=child, degree="child", percentage=70, decided_on=decided_on)
    return parent, child


def bereaved_family(*, children: int = 2):
    """A widow whose husband, the head of the household, died in January 2020."""
    widow = PersonFactory(birth_on=datetime.date(1985, 1, 1))
    household = HouseholdFactory()
    HouseholdMembershipFactory(
        household=household,
        person=PersonFactory(sex="M", died_on=datetime.date(2020, 1, 10)),
        relation="head",
    )
    HouseholdMembershipFactory(household=household, person=widow, relation="spouse")
    for _ in range(children):
        kid = PersonFactory(birth_on=datetime.date(2012, 1, 1))
        HouseholdMembershipFactory(household=household, person=kid, relation="child")
    return widow


def mother(*, born_on: datetime.date):
    person = PersonFactory(birth_on=datetime.date(1990, 1, 1))
    BirthFactory(mother=person, born_on=born_on, child__birth_on=born_on)
    return person


def insured(*, record: int):
    person = PersonFactory(birth_on=datetime.date(1985, 1, 1))
    InsuranceAccountFactory(person=person, record_months=record, pension_capital_qepik=0)
    return person


UNEMPLOYED = {
    "dismissal_ground": "staff_reduction",
    "is_registered_unemployed": True,
    "wages_12_months_qepik": 800 * 12 * 100,
}


def pre_check(case: Case):
    return case_rules_result(case)


# -- targeted social assistance ------------------------------------------------------------------


def test_a_family_below_the_need_criterion_is_eligible_with_the_amount_from_the_registry():
    result = pre_check(applies(family(), "targeted-social-assistance"))

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik == 24_000  # 4 × 160 − 400 AZN (docs/domain.md §2)
    assert "240.00 AZN" in result.explanation
    assert {fact["provenance"] for fact in result.facts.values()} == {"registry"}


def test_a_family_with_a_car_in_the_register_is_refused_on_ground_4():
    result = pre_check(applies(family(has_vehicle=True), "targeted-social-assistance"))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.reasons == ("is_refused_for_vehicle",)
    assert 'Legal ground: the Law "On targeted state social assistance"' in result.explanation
    assert "refusal ground: Ground 4: the family owns or uses a vehicle." in result.explanation


def test_a_family_whose_means_no_register_holds_is_incomplete_naming_what_is_missing():
    head = PersonFactory()
    HouseholdMembershipFactory(person=head)

    result = pre_check(applies(head, "targeted-social-assistance"))

    assert result.outcome == PreCheckOutcome.INCOMPLETE
    assert "members" not in result.missing
    assert set(result.missing) == {
        "income_12_months_qepik",
        "declaration_matches_checks",
        "purchases_sales_12_months_qepik",
        "has_vehicle",
        "refused_suitable_jobs",
        "utility_spending_12_months_qepik",
        "same_purpose_real_estate_units",
    }
    assert "Purchases and sales in the last 12 months" in result.explanation


# -- old-age pension -----------------------------------------------------------------------------


def test_a_pensioner_with_a_full_record_is_eligible_with_the_amount_from_the_registry():
    result = pre_check(applies(pensioner(record=320), "old-age-pension"))

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik == 20_000  # the minimum pension in March 2020
    assert "Your monthly pension is 200.00 AZN." in result.explanation


def test_a_person_below_the_pension_age_is_refused_with_the_legal_ground():
    young = pensioner(record=320, born=datetime.date(1970, 1, 1))

    result = pre_check(applies(young, "old-age-pension"))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.reasons == ("has_reached_pension_age",)
    assert result.near_miss_months is None
    assert (
        'Legal ground: the Law "On labour pensions" of 7 February 2006; requirement not met: '
        "Pension age reached by the date of the decision." in result.explanation
    )


def test_a_pensioner_four_months_short_of_25_years_is_a_near_miss():
    result = pre_check(applies(pensioner(record=296), "old-age-pension"))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.near_miss_months == 4
    assert "the insurance record is 4 months short of the 25 years required" in result.explanation


# -- disability pension --------------------------------------------------------------------------


def test_an_insured_person_with_a_disability_decision_and_the_record_is_eligible():
    result = pre_check(applies(disabled_adult(record=150), "disability-pension"))

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik >= 20_000
    assert result.facts["disability_on"] == {"value": "2020-03-01", "provenance": "registry"}


def test_a_disabled_person_without_the_record_is_refused():
    result = pre_check(applies(disabled_adult(record=10), "disability-pension"))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.reasons == ("has_required_record",)
    assert result.near_miss_months is None


def test_a_disabled_person_a_few_months_short_of_the_record_is_a_near_miss():
    # Disabled at 40: 60 months of record up to 30, then 4 a year — 100 months required.
    result = pre_check(applies(disabled_adult(record=97), "disability-pension"))

    assert result.near_miss_months == 3
    assert "3 months short of the 8 years 4 months required" in result.explanation


def test_without_a_disability_decision_in_the_register_the_pre_check_says_which_fact_is_missing():
    person = PersonFactory(birth_on=datetime.date(1980, 1, 1))
    InsuranceAccountFactory(person=person, record_months=150)

    result = pre_check(applies(person, "disability-pension"))

    assert result.outcome == PreCheckOutcome.INCOMPLETE
    assert result.missing == ("disability_on",)
    assert "Date the disability was established" in result.explanation


# -- age benefit ---------------------------------------------------------------------------------


def test_a_woman_of_pension_age_without_a_pension_right_gets_the_age_benefit():
    woman = pensioner(record=60, sex="F", born=WOMAN_BORN)

    result = pre_check(applies(woman, "age-benefit"))

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik == 13_000
    assert result.facts["has_labour_pension_right"]["value"] is False


def test_a_woman_with_a_labour_pension_right_is_refused_the_age_benefit():
    woman = pensioner(record=320, sex="F", born=WOMAN_BORN)

    result = pre_check(applies(woman, "age-benefit"))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.reasons == ("has_no_other_support",)
    assert 'Legal ground: the Law "On social benefits"' in result.explanation


# -- disability benefit --------------------------------------------------------------------------


def test_a_disabled_adult_without_the_record_for_a_pension_gets_the_benefit_for_the_degree():
    result = pre_check(applies(disabled_adult(record=10, degree="II"), "disability-benefit"))

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik == 13_000
    assert result.facts["disability_degree"]["value"] == "II"


def test_a_disabled_adult_with_a_pension_right_is_refused_the_benefit():
    result = pre_check(applies(disabled_adult(record=150), "disability-benefit"))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.reasons == ("has_no_pension_right",)


# -- benefit for a disabled child ----------------------------------------------------------------


def test_a_parent_applying_for_a_disabled_child_gets_the_benefit_from_the_childs_decision():
    parent, child = parent_of_disabled_child()

    result = pre_check(applies(parent, "disabled-child-benefit", child_fin=child.fin))

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik == 15_000
    assert result.facts["disability_percent"] == {"value": 70, "provenance": "registry"}


def test_a_child_who_has_turned_18_is_refused_the_childs_benefit():
    parent, child = parent_of_disabled_child(
        child_born=datetime.date(2001, 1, 1), decided_on=datetime.date(2018, 6, 1)
    )

    result = pre_check(applies(parent, "disabled-child-benefit", child_fin=child.fin))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.reasons == ("is_child",)


def test_a_child_the_register_does_not_link_to_the_applicant_gives_no_facts():
    _, child = parent_of_disabled_child()
    stranger = PersonFactory()

    result = pre_check(applies(stranger, "disabled-child-benefit", child_fin=child.fin))

    assert result.outcome == PreCheckOutcome.INCOMPLETE
    assert set(result.missing) == {"birth_on", "disability_percent"}


# -- loss-of-breadwinner benefit -----------------------------------------------------------------


def test_a_widow_with_two_children_gets_the_breadwinner_benefit_for_each():
    result = pre_check(applies(bereaved_family(children=2), "survivor-benefit"))

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik == 2 * 8_000
    assert result.facts["eligible_members"] == {"value": 2, "provenance": "registry"}


def test_a_family_that_holds_a_survivor_pension_is_refused_the_benefit():
    widow = bereaved_family(children=2)
    award_grant(
        person=widow,
        kind=AwardKind.SURVIVOR_PENSION,
        amount_qepik=20_000,
        start_on=datetime.date(2020, 2, 1),
        basis=basis_get_or_create(scheme="old_age_pension", on=datetime.date(2020, 2, 1)),
        record={},
    )

    result = pre_check(applies(widow, "survivor-benefit"))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.reasons == ("has_no_pension_right",)


# -- childbirth benefit --------------------------------------------------------------------------


def test_a_mother_whose_childs_birth_is_registered_gets_the_childbirth_benefit():
    result = pre_check(applies(mother(born_on=datetime.date(2020, 3, 1)), "childbirth-benefit"))

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik == 20_000
    assert result.facts["children_born"] == {"value": 1, "provenance": "registry"}


def test_a_birth_older_than_the_back_payment_period_gives_no_childbirth_benefit():
    result = pre_check(applies(mother(born_on=datetime.date(2015, 3, 1)), "childbirth-benefit"))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.facts["children_born"]["value"] == 0


# -- funeral benefit -----------------------------------------------------------------------------


def test_a_widow_who_had_no_other_funeral_payment_gets_the_funeral_benefit():
    widow = bereaved_family(children=0)

    result = pre_check(applies(widow, "funeral-benefit", has_other_funeral_payment=False))

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik == 30_000
    assert result.facts["has_other_funeral_payment"]["provenance"] == "registry"


def test_a_household_already_paid_the_funeral_benefit_for_the_death_is_refused():
    widow = bereaved_family(children=0)
    award_grant(
        person=widow,
        kind=AwardKind.FUNERAL_BENEFIT,
        amount_qepik=30_000,
        start_on=datetime.date(2020, 1, 20),
        is_one_off=True,
        basis=basis_get_or_create(scheme="funeral_benefit", on=datetime.date(2020, 1, 20)),
        record={},
    )

    result = pre_check(applies(widow, "funeral-benefit", has_other_funeral_payment=True))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.facts["has_other_funeral_payment"] == {"value": True, "provenance": "registry"}


# -- unemployment insurance ----------------------------------------------------------------------


def test_a_person_dismissed_for_staff_reduction_gets_half_the_lost_wage():
    result = pre_check(applies(insured(record=120), "unemployment-insurance-benefit", **UNEMPLOYED))

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik == 40_000  # 50 % of 800 AZN (2020 version)
    assert result.facts["insurance_record_months"]["provenance"] == "registry"
    assert result.facts["dismissal_ground"]["provenance"] == "declared"


def test_a_person_who_left_for_another_reason_is_refused_the_unemployment_benefit():
    answers = UNEMPLOYED | {"dismissal_ground": "other"}

    result = pre_check(applies(insured(record=120), "unemployment-insurance-benefit", **answers))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.reasons == ("has_qualifying_dismissal",)


def test_a_person_four_months_short_of_a_years_record_is_a_near_miss_for_unemployment():
    result = pre_check(applies(insured(record=8), "unemployment-insurance-benefit", **UNEMPLOYED))

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.near_miss_months == 4
    assert "4 months short of the 1 year required" in result.explanation


# -- a citizen who contradicts a register --------------------------------------------------------


def test_a_declared_income_that_contradicts_the_register_is_used_as_declared_and_flagged():
    head = family()
    case = applies(head, "targeted-social-assistance", income_12_months_qepik=600_000)

    result = pre_check(case)

    assert result.contradictions == ("income_12_months_qepik",)
    assert result.facts["income_12_months_qepik"] == {
        "value": 600_000,
        "provenance": "declared",
        "registry_value": 480_000,
        "is_contradicted": True,
    }
    assert result.amount_qepik == 4 * 16_000 - 50_000  # from the declared 6 000 AZN a year
    assert result.trace["contradictions"] == {
        "income_12_months_qepik": {"declared": 600_000, "registry": 480_000}
    }


def test_a_declared_value_equal_to_the_register_keeps_the_registry_as_its_source():
    case = applies(family(), "targeted-social-assistance", members=4, has_vehicle=False)

    result = pre_check(case)

    assert result.contradictions == ()
    assert result.facts["members"]["provenance"] == "registry"
    assert result.trace["provenance"]["members"] == "registry"


def test_the_stored_pre_check_keeps_each_fact_with_its_provenance_and_both_values():
    case = applies(family(), "targeted-social-assistance", income_12_months_qepik=600_000)

    stored = case_pre_check(case)

    income = stored["facts"]["income_12_months_qepik"]
    assert income["provenance"] == "declared"
    assert income["shown"]["en"] == "6,000.00 AZN"
    assert income["registry_shown"]["en"] == "4,800.00 AZN"
    assert income["label"]["az"] == "Son 12 ayda ailənin gəliri"
    assert stored["facts"]["members"]["provenance"] == "registry"
    assert stored["contradictions"] == ["income_12_months_qepik"]
    assert set(stored["explanations"]) == {"az", "en", "ru"}
    assert stored["trace"]["scheme"] == "targeted_assistance"


def test_the_stored_pre_check_of_an_incomplete_case_names_the_missing_facts_in_each_language():
    person = PersonFactory(birth_on=datetime.date(1980, 1, 1))

    stored = case_pre_check(applies(person, "disability-pension"))

    assert stored["outcome"] == "incomplete"
    assert [note["code"] for note in stored["notes"]] == [
        "no_disability_decision",
        "no_insurance_account",
    ]
    assert stored["missing"] == [
        {
            "name": "disability_on",
            "label": {
                "az": "Əlilliyin müəyyən edildiyi tarix",
                "en": "Date the disability was established",
                "ru": "Дата установления инвалидности",
            },
        }
    ]
