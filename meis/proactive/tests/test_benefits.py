# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""Benefits that stand in for a labour pension, granted with no application: the age benefit,
the disability benefit and the benefit for a disabled child."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from meis.awards.models import Award, AwardKind
from meis.awards.services import award_grant, award_trace, basis_get_or_create
from meis.insurance.models import Contribution
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.proactive.models import CandidateResult, Outcome
from meis.proactive.services.pipeline import run_execute, run_start
from meis.proactive.sources import benefit_age_cohort_births, pension_cohort_births
from meis.proactive.tests.factories import DisabilityDecisionFactory, InsuranceAccountFactory
from meis.registry.tests.factories import HouseholdMembershipFactory, PersonFactory
from meis.rules.explain import explain
from meis.usage.models import UsageEvent

DAY = datetime.date(2020, 3, 2)
YESTERDAY = DAY - datetime.timedelta(days=1)
# A woman born 2 September 1958 reaches 61 years 6 months — the pension age, and since 2020 the
# age-benefit age — on 2 March 2020.
WOMAN_BORN = datetime.date(1958, 9, 2)


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    templates_seed(Template)


def woman_reaching_pension_age(record: int = 60):
    person = PersonFactory(sex="F", birth_on=WOMAN_BORN)
    InsuranceAccountFactory(person=person, record_months=record, pension_capital_qepik=100_000)
    return person


def adult_with_decision_yesterday(record: int = 10, degree: str = "II"):
    person = PersonFactory(birth_on=datetime.date(1980, 1, 1))
    InsuranceAccountFactory(person=person, record_months=record, pension_capital_qepik=100_000)
    DisabilityDecisionFactory(person=person, degree=degree, decided_on=YESTERDAY)
    return person


def child_with_decision_yesterday(born_on: datetime.date = datetime.date(2012, 5, 1)):
    child = PersonFactory(birth_on=born_on, verified_phone=None)
    child.membership = HouseholdMembershipFactory(person=child, relation="child")
    DisabilityDecisionFactory(person=child, degree="child", percentage=70, decided_on=YESTERDAY)
    return child


def day_run(on: datetime.date = DAY):
    return run_execute(run_start(on=on))


def holds_disability_pension(person) -> None:
    award_grant(
        person=person,
        kind=AwardKind.DISABILITY_PENSION,
        amount_qepik=20_000,
        start_on=datetime.date(2019, 1, 1),
        basis=basis_get_or_create(scheme="disability_pension", on=DAY),
        record={},
    )


# -- age benefit ------------------------------------------------------------------------------


def test_pension_age_without_a_pension_right_grants_the_age_benefit(db: None) -> None:
    person = woman_reaching_pension_age(record=60)

    run = day_run()

    award = Award.objects.get(person=person)
    assert (award.kind, award.start_on, award.amount_qepik) == ("age_benefit", DAY, 13_000)
    assert award.record["facts"]["has_labour_pension_right"] is False
    assert award.record["facts"]["insurance_record_months"] == 60
    assert run.report["schemes"]["age_benefit"]["granted"] == 1
    assert Message.objects.filter(person=person, event="proactive_award").exists()
    assert UsageEvent.objects.get(source=f"award:{award.pk}").service_code == "age-benefit"


def test_a_pension_right_gets_the_pension_and_the_age_benefit_is_refused_with_the_rule(
    db: None,
) -> None:
    person = woman_reaching_pension_age(record=320)

    day_run()

    assert list(Award.objects.filter(person=person).values_list("kind", flat=True)) == [
        "old_age_pension"
    ]
    refusal = CandidateResult.objects.get(person=person, scheme="age_benefit")
    assert (refusal.outcome, refusal.rule) == (Outcome.REFUSED, "has_no_other_support")


def test_a_person_in_paid_work_is_refused_the_age_benefit(db: None) -> None:
    person = woman_reaching_pension_age(record=60)
    Contribution.objects.create(
        person=person, month_on=datetime.date(2020, 2, 1), amount_qepik=5_000
    )

    day_run()

    result = CandidateResult.objects.get(person=person, scheme="age_benefit")
    assert (result.outcome, result.rule) == (Outcome.REFUSED, "has_no_other_support")
    assert not Award.objects.filter(person=person).exists()


def test_a_disability_pensioner_reaching_the_age_keeps_the_pension_and_no_age_benefit(
    db: None,
) -> None:
    person = woman_reaching_pension_age(record=60)
    holds_disability_pension(person)

    day_run()

    assert CandidateResult.objects.get(person=person, scheme="age_benefit").outcome == (
        Outcome.ALREADY_HOLDS
    )
    assert list(Award.objects.filter(person=person).values_list("kind", flat=True)) == [
        "disability_pension"
    ]


@pytest.mark.parametrize(
    "on", [datetime.date(2020, 1, 1), DAY, datetime.date(2021, 7, 1), datetime.date(2026, 7, 1)]
)
def test_since_2020_the_age_benefit_cohort_is_the_pension_cohort(on: datetime.date) -> None:
    assert benefit_age_cohort_births(on) == pension_cohort_births(on)


@override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=1000)
def test_a_full_run_grants_the_age_benefit_from_the_day_the_age_was_reached(db: None) -> None:
    # 61 years 6 months on 2 February 2020, a month before the run.
    person = PersonFactory(sex="F", birth_on=datetime.date(1958, 8, 2))
    InsuranceAccountFactory(person=person, record_months=30, pension_capital_qepik=0)
    young = PersonFactory(sex="F", birth_on=datetime.date(1990, 1, 10))
    InsuranceAccountFactory(person=young, record_months=0, pension_capital_qepik=0)

    run = run_execute(run_start(on=DAY, mode="full", schemes=["age_benefit"], chunk_size=1))

    award = Award.objects.get(person=person)
    assert (award.kind, award.start_on) == ("age_benefit", datetime.date(2020, 2, 2))
    assert run.report["schemes"]["age_benefit"]["candidates"] == 1


# -- disability benefit (adults) --------------------------------------------------------------


def test_a_decision_without_the_record_for_a_pension_grants_the_disability_benefit(
    db: None,
) -> None:
    person = adult_with_decision_yesterday(record=10, degree="II")

    day_run()

    award = Award.objects.get(person=person)
    assert (award.kind, award.start_on, award.amount_qepik) == (
        "disability_benefit",
        YESTERDAY,
        13_000,
    )
    assert award.record["facts"]["has_labour_pension_right"] is False
    assert award.record["facts"]["disability_degree"] == "II"
    pension = CandidateResult.objects.get(person=person, scheme="disability_pension")
    assert pension.outcome in (Outcome.REFUSED, Outcome.NEAR_MISS)


def test_a_decision_with_the_record_grants_the_pension_and_refuses_the_benefit(
    db: None,
) -> None:
    person = adult_with_decision_yesterday(record=200)

    day_run()

    assert list(Award.objects.filter(person=person).values_list("kind", flat=True)) == [
        "disability_pension"
    ]
    refusal = CandidateResult.objects.get(person=person, scheme="disability_benefit")
    assert (refusal.outcome, refusal.rule) == (Outcome.REFUSED, "has_no_pension_right")


def test_a_disability_benefit_never_joins_an_active_labour_pension(db: None) -> None:
    person = adult_with_decision_yesterday(record=10)
    holds_disability_pension(person)

    day_run()

    result = CandidateResult.objects.get(person=person, scheme="disability_benefit")
    assert result.outcome == Outcome.ALREADY_HOLDS
    assert not Award.objects.filter(person=person, kind="disability_benefit").exists()


# -- disabled child ---------------------------------------------------------------------------


def test_a_childs_decision_grants_the_disabled_child_benefit_to_the_child(db: None) -> None:
    child = child_with_decision_yesterday()

    day_run()

    award = Award.objects.get(person=child)
    assert (award.kind, award.start_on, award.amount_qepik) == (
        "disabled_child_benefit",
        YESTERDAY,
        15_000,
    )
    assert award.household_id == child.membership.household_id
    assert award.record["facts"]["disability_percent"] == 70
    assert not CandidateResult.objects.filter(person=child, scheme="disability_benefit").exists()


def test_a_childs_decision_reaching_the_run_at_18_is_refused_with_the_rule(db: None) -> None:
    child = child_with_decision_yesterday(born_on=datetime.date(2002, 3, 2))

    day_run()

    result = CandidateResult.objects.get(person=child, scheme="disabled_child_benefit")
    assert (result.outcome, result.rule) == (Outcome.REFUSED, "is_child")
    assert not Award.objects.exists()


# -- every new scheme -------------------------------------------------------------------------


def test_rerunning_the_day_creates_no_second_benefit_letter_or_usage(db: None) -> None:
    woman_reaching_pension_age(record=60)
    adult_with_decision_yesterday(record=10)
    child_with_decision_yesterday()
    day_run()
    counts = (Award.objects.count(), Message.objects.count(), UsageEvent.objects.count())

    run_execute(
        run_start(on=DAY, schemes=["age_benefit", "disability_benefit", "disabled_child_benefit"])
    )
    day_run()

    assert counts[0] == 3
    assert (Award.objects.count(), Message.objects.count(), UsageEvent.objects.count()) == counts


def test_the_json_report_counts_each_new_scheme(db: None) -> None:
    woman_reaching_pension_age(record=60)
    out = io.StringIO()

    call_command("proactive", "run", "--on", DAY.isoformat(), "--json", stdout=out)

    schemes = json.loads(out.getvalue())["schemes"]
    assert schemes["age_benefit"]["granted"] == 1
    assert {"disability_benefit", "disabled_child_benefit"} <= set(schemes)


def test_the_citizen_reads_how_the_age_benefit_was_decided(db: None) -> None:
    person = woman_reaching_pension_age(record=60)
    day_run()

    lines = explain(award_trace(Award.objects.get(person=person)), "en")

    assert lines
    assert any("130" in line for line in lines)
