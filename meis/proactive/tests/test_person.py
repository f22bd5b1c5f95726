# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value,union-attr,type-arg,index"
"""One person assessed the proactive way (`person_assess`): the registers' facts, the same rule,
and — when entitled — the award a full run would grant, with its letter and usage event."""

from __future__ import annotations

import datetime

import polars as pl
import pytest
from django.db import transaction
from django.test import override_settings

from meis.awards.models import Award, AwardKind, AwardOrigin
from meis.awards.services import award_grant, basis_get_or_create
from meis.eligibility.tests.test_same_facts import candidates
from meis.lifeevents.synthetic import facts_generate
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.proactive.models import CandidateResult, Outcome, RunMode
from meis.proactive.services import ProactiveError, person_assess, run_execute, run_start
from meis.proactive.sources import SOURCES
from meis.proactive.tests.factories import InsuranceAccountFactory
from meis.registry.models import HouseholdMembership, Person
from meis.registry.synthetic import registry_generate
from meis.registry.tests.factories import PersonFactory
from meis.rules.engine import evaluate_batch
from meis.rules.schemes import get_scheme
from meis.usage.models import UsageEvent
from meis.veterans.synthetic import veterans_generate

DAY = datetime.date(2020, 3, 2)
MAN_BORN = datetime.date(1955, 9, 2)  # reaches 64 years 6 months, the pension age, on DAY
AS_OF = datetime.date(2020, 3, 1)
ON = AS_OF + datetime.timedelta(days=7)
SAMPLE = 12


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    templates_seed(Template)


def retiring_man(record: int = 320):
    person = PersonFactory(sex="M", birth_on=MAN_BORN, verified_email="kisi@example.az")
    InsuranceAccountFactory(person=person, record_months=record, pension_capital_qepik=100_000)
    return person


def test_a_retiring_man_assessed_alone_gets_the_pension_its_letter_and_its_usage_event(db):
    person = retiring_man()

    assessment = person_assess(person=person, scheme="old_age_pension", on=DAY)

    award = assessment.award
    assert assessment.outcome == Outcome.GRANTED
    assert (award.kind, award.amount_qepik, award.start_on) == ("old_age_pension", 20_000, DAY)
    assert award.origin == AwardOrigin.PROACTIVE_RUN
    assert award.record["facts"] == {
        "sex": "male",
        "birth_on": "1955-09-02",
        "insurance_record_months": 320,
        "pension_capital_qepik": 100_000,
    }
    assert award.record["steps"]["pension_age_on"] == "2020-03-02"
    messages = Message.objects.filter(person=person, event="proactive_award")
    assert sorted(m.channel for m in messages) == ["email", "portal", "sms"]
    assert {m.dedupe_key for m in messages} == {f"award:{award.pk}"}
    assert UsageEvent.objects.get(source=f"award:{award.pk}").service_code == "old-age-pension"


def test_assessing_the_same_person_again_grants_nothing_more(db):
    person = retiring_man()
    person_assess(person=person, scheme="old_age_pension", on=DAY)

    again = person_assess(person=person, scheme="old_age_pension", on=DAY)

    assert again.outcome == Outcome.ALREADY_HOLDS
    assert Award.objects.filter(person=person).count() == 1


def test_a_record_a_few_months_short_is_a_near_miss_and_grants_nothing(db):
    person = retiring_man(record=290)

    assessment = person_assess(person=person, scheme="old_age_pension", on=DAY)

    assert (assessment.outcome, assessment.rule, assessment.months_short) == (
        Outcome.NEAR_MISS,
        "has_pension_right",
        10,
    )
    assert not Award.objects.filter(person=person).exists()


def test_a_person_below_the_pension_age_is_not_a_candidate(db):
    person = PersonFactory(sex="M", birth_on=datetime.date(1990, 1, 1))

    assessment = person_assess(person=person, scheme="old_age_pension", on=DAY)

    assert assessment.outcome == "not_a_candidate"
    assert assessment.award is None


def test_a_person_without_a_disability_decision_is_not_a_candidate_for_the_pension(db):
    person = retiring_man()

    assessment = person_assess(person=person, scheme="disability_pension", on=DAY)

    assert assessment.outcome == "not_a_candidate"
    assert assessment.sheet.to_declare == ("disability_on",)


def test_a_scheme_without_a_proactive_source_is_refused_with_the_known_ones(db):
    with pytest.raises(ProactiveError, match="known: "):
        person_assess(person=retiring_man(), scheme="funeral_benefit", on=DAY)


# -- the same award as a full run, for people sampled from a synthetic country -------------------


class _Undo(Exception):
    """Rolls back a single-person grant once its award has been looked at."""


def _assess_and_undo(person: Person, scheme: str) -> tuple[str, tuple | None]:
    seen: dict[str, object] = {}
    try:
        with transaction.atomic():
            assessment = person_assess(person=person, scheme=scheme, on=ON)
            award = assessment.award
            seen["outcome"] = assessment.outcome
            seen["award"] = _key(award) if award is not None else None
            raise _Undo
    except _Undo:
        pass
    return str(seen["outcome"]), seen["award"]


def _every_kth(rows: pl.DataFrame) -> list[int]:
    """About SAMPLE / 2 people spread over the rows."""
    people = rows["person_id"].unique(maintain_order=True).to_list()
    return people[:: max(1, len(people) // (SAMPLE // 2))][: SAMPLE // 2]


def _key(award: Award) -> tuple:
    return (
        award.kind,
        award.amount_qepik,
        award.start_on,
        award.household_id,
        award.is_one_off,
        award.record,
    )


def _assisted_households() -> None:
    """Every third household of a mother with a birth holds targeted assistance."""
    basis = basis_get_or_create(scheme="targeted_assistance", on=AS_OF)
    heads = HouseholdMembership.objects.filter(
        household__memberships__person__births_as_mother__isnull=False, relation="head"
    ).select_related("person", "household")
    for number, membership in enumerate(heads.distinct().order_by("household_id")):
        if number % 3 == 0:
            award_grant(
                person=membership.person,
                household=membership.household,
                kind=AwardKind.TARGETED_ASSISTANCE,
                amount_qepik=10_000,
                start_on=AS_OF.replace(day=1),
                basis=basis,
                record={},
            )


@pytest.mark.parametrize("scheme", sorted(SOURCES))
@override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=10**9)
def test_a_sampled_person_assessed_alone_gets_the_award_a_full_run_grants(db, scheme):
    registry_generate(people=2_500, seed=31, as_of=AS_OF)
    facts_generate(seed=31, on=AS_OF)
    veterans_generate(seed=31, on=AS_OF)
    if scheme == "child_under_one_benefit":
        _assisted_households()
    frame = candidates(SOURCES[scheme])
    if "born_on" in frame.columns:  # a birth the single-person path sees on ON: this year's
        frame = frame.filter(pl.col("born_on") > AS_OF.replace(year=AS_OF.year - 1))
    rule = evaluate_batch(get_scheme(scheme), frame, on=ON, keep=["person_id", "is_eligible"])
    sampled = [
        person_id
        for is_eligible in (True, False)
        for person_id in _every_kth(rule.filter(pl.col("is_eligible") == is_eligible))
    ]
    alone = {
        person_id: _assess_and_undo(Person.objects.get(pk=person_id), scheme)
        for person_id in sampled
    }
    assert any(outcome == Outcome.GRANTED for outcome, _ in alone.values()), alone

    run_execute(run_start(on=ON, mode=RunMode.FULL, schemes=[scheme]))

    kind = SOURCES[scheme].kind
    for person_id, (outcome, award) in alone.items():
        if outcome == Outcome.GRANTED:
            granted = Award.objects.get(person_id=person_id, kind=kind, start_on=award[2])
            assert _key(granted) == award, person_id
        else:
            assert not Award.objects.filter(person_id=person_id, kind=kind).exists()
            results = CandidateResult.objects.filter(person_id=person_id, scheme=scheme)
            if outcome == "not_a_candidate":
                assert not results.exists()
            else:
                assert {r.outcome for r in results} == {outcome}
