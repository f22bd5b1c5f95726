# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""The proactive pipeline, from the side of the person who reaches a right on a given day."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from meis.accounts.tests.factories import staff_user
from meis.awards.models import Award, AwardKind
from meis.awards.services import award_grant, basis_get_or_create
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.proactive.models import CandidateResult, Outcome, RunStatus
from meis.proactive.services.pipeline import (
    ProactiveError,
    SimulatedCrash,
    run_approve,
    run_execute,
    run_start,
)
from meis.proactive.tests.factories import (
    BirthFactory,
    DisabilityDecisionFactory,
    InsuranceAccountFactory,
)
from meis.registry.tests.factories import PersonFactory
from meis.usage.models import UsageEvent

# A man born 2 September 1955 reaches 64 years 6 months — the pension age then — on 2 March 2020.
DAY = datetime.date(2020, 3, 2)
MAN_BORN = datetime.date(1955, 9, 2)
WOMAN_BORN = datetime.date(1958, 9, 2)  # 61 years 6 months on the same day


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    templates_seed(Template)


def retiring_man(record: int = 320, **kwargs: object) -> Award:
    person = PersonFactory(sex="M", birth_on=MAN_BORN, **kwargs)
    InsuranceAccountFactory(person=person, record_months=record, pension_capital_qepik=100_000)
    return person


def incremental(on: datetime.date = DAY, **kwargs: object):
    return run_execute(run_start(on=on, schemes=["old_age_pension"], **kwargs))


def test_it_grants_the_pension_on_the_day_pension_age_is_reached(db: None) -> None:
    person = retiring_man()

    run = incremental()

    award = Award.objects.get(person=person)
    assert (award.kind, award.start_on, award.amount_qepik) == ("old_age_pension", DAY, 20000)
    assert award.basis.rules_version.startswith("rules-")
    assert award.record["facts"]["insurance_record_months"] == 320
    assert run.report["schemes"]["old_age_pension"]["granted"] == 1


def test_it_does_not_grant_the_day_before(db: None) -> None:
    retiring_man()

    incremental(on=DAY - datetime.timedelta(days=1))

    assert not Award.objects.exists()


def test_rerunning_the_day_creates_nothing(db: None) -> None:
    retiring_man()
    incremental()
    messages = Message.objects.count()

    second = run_execute(run_start(on=DAY, schemes=["old_age_pension", "disability_pension"]))
    incremental_again = incremental()

    assert Award.objects.count() == 1
    assert Message.objects.count() == messages
    assert UsageEvent.objects.count() == 1
    assert second.status == incremental_again.status == RunStatus.SUCCEEDED


def test_a_record_short_by_a_few_months_is_a_near_miss(db: None) -> None:
    person = retiring_man(record=290)

    incremental()

    result = CandidateResult.objects.get(person=person)
    assert (result.outcome, result.rule, result.months_short) == (
        Outcome.NEAR_MISS,
        "has_pension_right",
        10,
    )
    assert not Award.objects.exists()


def test_a_record_far_short_is_refused_with_the_rule(db: None) -> None:
    person = retiring_man(record=100)

    incremental()

    result = CandidateResult.objects.get(person=person)
    assert (result.outcome, result.rule) == (Outcome.REFUSED, "has_pension_right")


def test_each_grant_queues_one_letter_per_channel_with_a_dedupe_key(db: None) -> None:
    person = retiring_man(verified_email="kisi@example.az")

    incremental()

    award = Award.objects.get(person=person)
    messages = Message.objects.filter(person=person, event="proactive_award")
    assert sorted(m.channel for m in messages) == ["email", "portal", "sms"]
    assert {m.dedupe_key for m in messages} == {f"award:{award.pk}"}
    assert "200" in messages.get(channel="sms").body_text


def test_incremental_picks_only_todays_cohort(db: None) -> None:
    today = retiring_man()
    retiring_man_woman = PersonFactory(sex="F", birth_on=WOMAN_BORN)
    InsuranceAccountFactory(person=retiring_man_woman)
    yesterday = PersonFactory(sex="M", birth_on=MAN_BORN - datetime.timedelta(days=1))
    InsuranceAccountFactory(person=yesterday)
    young = PersonFactory(sex="M", birth_on=datetime.date(1990, 1, 1))
    InsuranceAccountFactory(person=young)

    incremental()

    assert set(CandidateResult.objects.values_list("person_id", flat=True)) == {
        today.pk,
        retiring_man_woman.pk,
    }


def test_exclusive_awards_cannot_both_be_active(db: None) -> None:
    person = PersonFactory()
    basis = basis_get_or_create(scheme="old_age_pension", on=DAY)
    award_grant(
        person=person,
        kind=AwardKind.DISABILITY_PENSION,
        amount_qepik=1,
        start_on=DAY,
        basis=basis,
        record={},
    )

    assert (
        award_grant(
            person=person,
            kind=AwardKind.OLD_AGE_PENSION,
            amount_qepik=1,
            start_on=DAY,
            basis=basis,
            record={},
        )
        is None
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(
            person=person,
            kind=AwardKind.OLD_AGE_PENSION,
            exclusivity_group="labour_pension",
            amount_qepik=1,
            start_on=DAY,
            origin="proactive_run",
            basis=basis,
            record={},
        )


def test_a_disability_pensioner_reaching_pension_age_already_holds_an_exclusive_award(
    db: None,
) -> None:
    person = retiring_man()
    basis = basis_get_or_create(scheme="disability_pension", on=DAY)
    award_grant(
        person=person,
        kind=AwardKind.DISABILITY_PENSION,
        amount_qepik=1,
        start_on=datetime.date(2019, 1, 1),
        basis=basis,
        record={},
    )

    incremental()

    assert CandidateResult.objects.get(person=person).outcome == Outcome.ALREADY_HOLDS


def test_yesterdays_disability_decision_and_birth_are_granted(db: None) -> None:
    decision = DisabilityDecisionFactory(
        person=PersonFactory(birth_on=datetime.date(1980, 1, 1)),
        decided_on=DAY - datetime.timedelta(days=1),
    )
    InsuranceAccountFactory(person=decision.person, record_months=200)
    birth = BirthFactory(born_on=DAY - datetime.timedelta(days=1))

    run_execute(run_start(on=DAY))

    assert Award.objects.filter(person=decision.person, kind="disability_pension").exists()
    childbirth = Award.objects.get(person=birth.mother, kind="childbirth_benefit")
    assert childbirth.is_one_off
    assert childbirth.end_on == birth.born_on


def full_population() -> list[int]:
    ids = []
    for n in range(12):
        person = PersonFactory(sex="M", birth_on=datetime.date(1940 + n, 1, 1 + n))
        InsuranceAccountFactory(person=person, record_months=288 + 2 * n)
        ids.append(person.pk)
    return ids


@override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=1000)
def test_partitions_cover_everyone_exactly_once(db: None) -> None:
    ids = full_population()

    for index in (1, 2, 3):
        run = run_start(
            on=DAY, mode="full", schemes=["old_age_pension"], partition=(index, 3), chunk_size=2
        )
        run_execute(run)

    people = list(CandidateResult.objects.values_list("person_id", flat=True))
    assert sorted(people) == sorted(ids)


@override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=1000)
def test_a_crashed_run_resumes_and_ends_with_the_totals_of_an_uninterrupted_run(
    db: None,
) -> None:
    full_population()
    run = run_start(on=DAY, mode="full", schemes=["old_age_pension"], chunk_size=3)

    with pytest.raises(SimulatedCrash):
        run_execute(run, crash_after_chunks=2)
    assert run.chunks.count() == 2
    resumed = run_execute(run_start(on=DAY, mode="full", schemes=["old_age_pension"], chunk_size=3))

    assert resumed.pk == run.pk
    totals = resumed.report["schemes"]["old_age_pension"]
    assert (totals["candidates"], totals["granted"], totals["near_miss"]) == (12, 6, 6)
    assert Award.objects.count() == 6
    assert (
        Message.objects.filter(event="proactive_award").values("dedupe_key").distinct().count() == 6
    )


@override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=1000)
def test_a_full_run_reports_the_seconds_of_each_phase(db: None) -> None:
    full_population()

    run = run_execute(run_start(on=DAY, mode="full", schemes=["old_age_pension"], chunk_size=5))

    phases = run.report["schemes"]["old_age_pension"]["phases"]
    assert {"read", "evaluate", "awards", "letters", "results"} <= set(phases)
    assert all(seconds >= 0 for seconds in phases.values())
    assert run.report["schemes"]["old_age_pension"]["granted"] == 6


@override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=5)
def test_a_mass_run_waits_for_a_second_administrator(db: None) -> None:
    full_population()
    first, second = staff_user("administrator"), staff_user("administrator")

    run = run_start(on=DAY, mode="full", schemes=["old_age_pension"], actor=first)

    assert run.status == RunStatus.AWAITING_APPROVAL
    with pytest.raises(ProactiveError):
        run_execute(run)
    with pytest.raises(ProactiveError, match="second administrator"):
        run_approve(run=run, actor=first)
    assert not Award.objects.exists()

    run_approve(run=run, actor=second)
    run_execute(run)

    assert Award.objects.count() == 6
    assert run.approved_by == second


@override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=5)
def test_an_analyst_cannot_approve(db: None) -> None:
    full_population()
    run = run_start(on=DAY, mode="full", schemes=["old_age_pension"])

    with pytest.raises(ProactiveError, match="administrator"):
        run_approve(run=run, actor=staff_user("analyst"))


def test_a_full_run_gives_each_of_a_mothers_births_its_own_award_letter_and_result(
    db: None,
) -> None:
    mother = PersonFactory(sex="F", birth_on=datetime.date(1990, 1, 1))
    first = BirthFactory(mother=mother, born_on=datetime.date(2019, 5, 1))
    second = BirthFactory(mother=mother, born_on=datetime.date(2020, 2, 1))

    run = run_execute(run_start(on=DAY, mode="full", schemes=["childbirth_benefit"]))

    awards = Award.objects.filter(person=mother, kind="childbirth_benefit").order_by("start_on")
    assert [a.start_on for a in awards] == [first.born_on, second.born_on]
    letters = Message.objects.filter(person=mother, event="proactive_award", channel="portal")
    assert sorted(m.dedupe_key for m in letters) == sorted(f"award:{a.pk}" for a in awards)
    results = CandidateResult.objects.filter(run=run, person_id=mother.pk)
    assert sorted(r.award_id or 0 for r in results) == sorted(a.pk for a in awards)


def test_a_full_run_grants_no_birth_benefit_beyond_the_back_payment_limit(db: None) -> None:
    # Three years back from 2 March 2020: births from 2 March 2017 are still paid.
    mother = PersonFactory(sex="F", birth_on=datetime.date(1985, 1, 1))
    paid = BirthFactory(mother=mother, born_on=datetime.date(2017, 3, 2))
    BirthFactory(mother=mother, born_on=datetime.date(2017, 3, 1))

    run_execute(run_start(on=DAY, mode="full", schemes=["childbirth_benefit"]))

    awards = Award.objects.filter(person=mother, kind="childbirth_benefit")
    assert [a.start_on for a in awards] == [paid.born_on]
