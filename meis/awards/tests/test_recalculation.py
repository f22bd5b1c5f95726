# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""Recalculation after a parameter change: new amounts from a date, the old awards kept."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meis.accounts.tests.factories import staff_user
from meis.audit.models import AuditEvent
from meis.awards.models import (
    Award,
    AwardKind,
    AwardOrigin,
    AwardStatus,
    Recalculation,
    RecalculationStatus,
)
from meis.awards.services import (
    RecalculationError,
    award_grant,
    basis_get_or_create,
    recalculation_apply,
    recalculation_approve,
    recalculation_prepare,
    recalculation_reject,
)
from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from meis.proactive.services.pipeline import run_execute, run_start
from meis.proactive.tests.factories import InsuranceAccountFactory
from meis.registry.tests.factories import PersonFactory
from meis.rules.engine import evaluate_case
from meis.rules.schemes import get_scheme

GRANTED_ON = datetime.date(2019, 6, 3)  # minimum pension 160 AZN (from 1 March 2019)
RAISED_ON = datetime.date(2019, 10, 1)  # minimum pension 200 AZN (DOMAIN §3)
MINIMUM = 100_000  # a pension capital whose insurance part is far below any minimum
RICH = 144 * 30_000  # an insurance part of 300 AZN: above both minimums


def pension(capital: int = MINIMUM, *, on: datetime.date = GRANTED_ON) -> Award:
    """An old-age pension decided on an application, with the record a decision writes."""
    person = PersonFactory(sex="M", birth_on=datetime.date(1950, 1, 15))
    facts = {
        "sex": "male",
        "birth_on": "1950-01-15",
        "insurance_record_months": 320,
        "pension_capital_qepik": capital,
    }
    result = evaluate_case(get_scheme("old_age_pension"), facts, on=on)
    assert result.outcome
    award = award_grant(
        person=person,
        kind=AwardKind.OLD_AGE_PENSION,
        amount_qepik=result.amount_qepik,
        start_on=on,
        basis=basis_get_or_create(scheme="old_age_pension", on=on),
        record={
            "facts": result.trace["facts"],
            "steps": {s["name"]: s["value"] for s in result.trace["steps"]},
        },
    )
    assert award is not None
    return award


@pytest.fixture
def admins(db: None):
    return staff_user("administrator"), staff_user("administrator")


def test_a_minimum_pension_rises_from_the_date_and_the_old_award_is_kept(admins) -> None:
    first, second = admins
    old = pension()
    assert old.amount_qepik == 16_000

    prepared = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=first
    )
    recalculation = prepared.recalculation
    assert recalculation.status == RecalculationStatus.AWAITING_APPROVAL
    assert prepared.total_change_qepik == 4_000
    (item,) = recalculation.items.all()
    assert (item.award_id, item.old_amount_qepik, item.new_amount_qepik) == (old.pk, 16_000, 20_000)
    assert Award.objects.count() == 1  # nothing written before approval

    recalculation_approve(recalculation=recalculation, actor=second)

    old.refresh_from_db()
    assert (old.status, old.end_on, old.amount_qepik) == (
        AwardStatus.ENDED,
        datetime.date(2019, 9, 30),
        16_000,
    )
    new = old.superseded_by
    assert (new.status, new.start_on, new.end_on, new.amount_qepik) == (
        AwardStatus.ACTIVE,
        RAISED_ON,
        None,
        20_000,
    )
    assert new.origin == AwardOrigin.RECALCULATION
    assert new.origin_batch == recalculation.pk
    assert new.basis.on == RAISED_ON
    assert new.record["steps"]["amount_qepik"] == 20_000
    assert new.record["facts"] == old.record["facts"]
    recalculation.refresh_from_db()
    assert (recalculation.status, recalculation.approved_by) == (
        RecalculationStatus.APPLIED,
        second,
    )


def test_unchanged_awards_produce_no_item(admins) -> None:
    rich = pension(RICH)
    assert rich.amount_qepik == 30_000
    raised = pension()

    prepared = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=admins[0]
    )

    assert (prepared.awards, prepared.unchanged) == (2, 1)
    assert [i.award_id for i in prepared.recalculation.items.all()] == [raised.pk]
    assert prepared.recalculation.changes == 1


def test_the_preparer_cannot_approve_and_an_analyst_cannot_prepare(admins) -> None:
    first, _ = admins
    pension()
    recalculation = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=first
    ).recalculation

    with pytest.raises(RecalculationError, match="second administrator"):
        recalculation_approve(recalculation=recalculation, actor=first)
    with pytest.raises(RecalculationError, match="administrator"):
        recalculation_prepare(
            kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=staff_user("analyst")
        )

    assert Award.objects.count() == 1
    recalculation.refresh_from_db()
    assert recalculation.status == RecalculationStatus.AWAITING_APPROVAL


def test_approval_is_audited(admins) -> None:
    first, second = admins
    pension()
    recalculation = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=first
    ).recalculation

    recalculation_approve(recalculation=recalculation, actor=second)

    event = AuditEvent.objects.get(action="awards.recalculation_approve")
    assert event.actor == second
    assert event.object_id == str(recalculation.pk)
    assert event.details["applied"] == 1
    assert event.details["skipped"] == []
    assert AuditEvent.objects.filter(action="awards.recalculation_prepare", actor=first).exists()


def test_approving_or_applying_twice_creates_nothing(admins) -> None:
    first, second = admins
    pension()
    recalculation = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=first
    ).recalculation
    recalculation_approve(recalculation=recalculation, actor=second)
    awards = list(Award.objects.order_by("id").values_list("id", "status", "end_on"))

    again = recalculation_approve(recalculation=recalculation, actor=second)
    applied, skipped = recalculation_apply(again)

    assert again.status == RecalculationStatus.APPLIED
    assert (applied, len(skipped)) == (0, 1)
    assert list(Award.objects.order_by("id").values_list("id", "status", "end_on")) == awards
    assert AuditEvent.objects.filter(action="awards.recalculation_approve").count() == 1
    # A second preparation finds the new award already at the new amount: nothing to do.
    assert (
        recalculation_prepare(
            kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=first
        ).recalculation.changes
        == 0
    )


def test_a_rejected_recalculation_writes_nothing(admins) -> None:
    first, second = admins
    old = pension()
    recalculation = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=first
    ).recalculation

    recalculation_reject(recalculation=recalculation, actor=second)

    old.refresh_from_db()
    assert (old.status, old.end_on) == (AwardStatus.ACTIVE, None)
    assert Award.objects.count() == 1
    with pytest.raises(RecalculationError, match="not waiting"):
        recalculation_approve(recalculation=recalculation, actor=second)
    assert Award.objects.count() == 1
    assert AuditEvent.objects.filter(action="awards.recalculation_reject", actor=second).exists()


def test_awards_starting_on_or_after_the_date_are_not_recalculated(admins) -> None:
    pension(on=RAISED_ON)

    prepared = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=admins[0]
    )

    assert prepared.awards == 0
    assert prepared.recalculation.changes == 0


def test_a_proactive_grant_is_recalculated_from_its_recorded_facts(admins) -> None:
    templates_seed(Template)
    person = PersonFactory(sex="M", birth_on=datetime.date(1955, 9, 2))
    InsuranceAccountFactory(person=person, record_months=320, pension_capital_qepik=100_000)
    run_execute(run_start(on=datetime.date(2020, 3, 2), schemes=["old_age_pension"]))
    old = Award.objects.get(person=person)
    assert old.amount_qepik == 20_000
    # The registry's facts change later; the parameter recalculation keeps the decision's facts.
    person.insurance_account.pension_capital_qepik = RICH
    person.insurance_account.save()

    recalculation = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=datetime.date(2022, 1, 1), actor=admins[0]
    ).recalculation
    recalculation_approve(recalculation=recalculation, actor=admins[1])

    new = Award.objects.get(person=person, status=AwardStatus.ACTIVE)
    assert (new.start_on, new.amount_qepik, new.supersedes_id) == (
        datetime.date(2022, 1, 1),
        24_000,
        old.pk,
    )


def test_the_commands_prepare_and_approve(admins) -> None:
    first, second = admins
    pension()
    out = StringIO()

    call_command(
        "awards",
        "recalculate",
        "--kind",
        "old_age_pension",
        "--on",
        "2019-10-01",
        "--as",
        first.username,
        stdout=out,
    )
    recalculation = Recalculation.objects.get()
    assert "1 active awards evaluated, 1 change" in out.getvalue()
    assert "+40.00 AZN" in out.getvalue()

    with pytest.raises(CommandError, match="second administrator"):
        call_command("awards", "recalculate-approve", str(recalculation.pk), "--as", first.username)
    out = StringIO()
    call_command(
        "awards", "recalculate-approve", str(recalculation.pk), "--as", second.username, stdout=out
    )
    assert "applied" in out.getvalue()
    assert Award.objects.filter(status=AwardStatus.ACTIVE, amount_qepik=20_000).count() == 1


# -- records the rule cannot read, other kinds of facts, and what changes between the two steps --

AGE_BENEFIT_ON = datetime.date(2020, 6, 1)  # age benefit 130 AZN (from 1 April 2019)
AGE_BENEFIT_RAISED_ON = datetime.date(2022, 1, 1)  # 180 AZN


def age_benefit(*, is_working: bool = False) -> Award:
    """An age benefit whose record holds a choice, a date, a number and two booleans."""
    person = PersonFactory(sex="M", birth_on=datetime.date(1950, 1, 15))
    facts = {
        "sex": "male",
        "birth_on": "1950-01-15",
        "children_born": 0,
        "has_labour_pension_right": False,
        "is_working": is_working,
    }
    award = award_grant(
        person=person,
        kind=AwardKind.AGE_BENEFIT,
        amount_qepik=13_000,
        start_on=AGE_BENEFIT_ON,
        basis=basis_get_or_create(scheme="age_benefit", on=AGE_BENEFIT_ON),
        record={"facts": facts, "steps": {}},
    )
    assert award is not None
    return award


def record_facts_replace(award: Award, **facts: object) -> None:
    """Write the award's recorded facts as an old import or a hand correction might have."""
    Award.objects.filter(pk=award.pk).update(record={"facts": facts, "steps": {}})


def test_a_record_lacking_a_fact_or_holding_a_wrong_type_is_left_unchanged(admins) -> None:
    first, second = admins
    complete, lacking, wrong = pension(), pension(), pension()
    facts = complete.record["facts"]
    record_facts_replace(lacking, **{k: v for k, v in facts.items() if k != "birth_on"})
    record_facts_replace(wrong, **facts | {"insurance_record_months": "320"})

    prepared = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=first
    )
    recalculation_approve(recalculation=prepared.recalculation, actor=second)

    assert prepared.awards == 3
    assert prepared.without_facts == [lacking.pk, wrong.pk]
    assert [i.award_id for i in prepared.recalculation.items.all()] == [complete.pk]
    for award in (lacking, wrong):
        award.refresh_from_db()
        assert (award.status, award.end_on, award.amount_qepik) == (
            AwardStatus.ACTIVE,
            None,
            16_000,
        )
        assert not Award.objects.filter(supersedes=award).exists()


def test_an_age_benefit_is_recalculated_from_its_recorded_booleans_and_dates(admins) -> None:
    first, second = admins
    idle = age_benefit()
    working = age_benefit(is_working=True)  # recorded as working: the rule would now refuse

    prepared = recalculation_prepare(
        kind=AwardKind.AGE_BENEFIT, effective_on=AGE_BENEFIT_RAISED_ON, actor=first
    )
    recalculation_approve(recalculation=prepared.recalculation, actor=second)

    assert (prepared.awards, prepared.for_review, prepared.without_facts) == (2, [working.pk], [])
    (item,) = prepared.recalculation.items.all()
    assert (item.award_id, item.old_amount_qepik, item.new_amount_qepik) == (
        idle.pk,
        13_000,
        18_000,
    )
    assert set(item.record) == {"facts", "steps", "basis"}
    new = Award.objects.get(supersedes=idle)
    # The facts come back as recorded: booleans as booleans, the date as its ISO text.
    assert new.record["facts"] == idle.record["facts"]
    assert new.record["facts"]["is_working"] is False
    assert new.record["steps"]["benefit_age_on"] == "2017-01-01"  # a date step, as ISO text
    assert set(new.record) == {"facts", "steps"}
    assert (new.amount_qepik, new.basis_id) == (18_000, item.record["basis"])
    assert new.basis.on == AGE_BENEFIT_RAISED_ON


def test_an_award_ended_between_preparation_and_approval_is_skipped(admins) -> None:
    first, second = admins
    kept, ended = pension(), pension()
    recalculation = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=first
    ).recalculation
    assert recalculation.changes == 2
    # A death reported meanwhile ends the pension before the new amount's date.
    Award.objects.filter(pk=ended.pk).update(
        status=AwardStatus.ENDED, end_on=datetime.date(2019, 8, 31)
    )

    recalculation_approve(recalculation=recalculation, actor=second)

    ended.refresh_from_db()
    assert (ended.status, ended.end_on) == (AwardStatus.ENDED, datetime.date(2019, 8, 31))
    assert not Award.objects.filter(supersedes=ended).exists()
    assert Award.objects.get(supersedes=kept).amount_qepik == 20_000
    event = AuditEvent.objects.get(action="awards.recalculation_approve")
    assert (event.details["applied"], event.details["skipped"]) == (1, [ended.pk])


def test_applying_twice_replaces_each_award_once(admins) -> None:
    old = pension()
    recalculation = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=admins[0]
    ).recalculation

    first = recalculation_apply(recalculation)
    awards = list(Award.objects.order_by("id").values_list("id", "status", "end_on", "supersedes"))
    second = recalculation_apply(recalculation)

    assert (first, second) == ((1, []), (0, [old.pk]))
    assert (
        list(Award.objects.order_by("id").values_list("id", "status", "end_on", "supersedes"))
        == awards
    )
    assert Award.objects.filter(status=AwardStatus.ACTIVE).count() == 1


def test_the_new_award_ends_when_the_old_one_was_to_end(admins) -> None:
    old = pension()
    Award.objects.filter(pk=old.pk).update(end_on=datetime.date(2024, 12, 31))
    recalculation = recalculation_prepare(
        kind=AwardKind.OLD_AGE_PENSION, effective_on=RAISED_ON, actor=admins[0]
    ).recalculation

    recalculation_approve(recalculation=recalculation, actor=admins[1])

    old.refresh_from_db()
    new = old.superseded_by
    assert old.end_on == datetime.date(2019, 9, 30)
    assert (new.start_on, new.end_on) == (RAISED_ON, datetime.date(2024, 12, 31))
