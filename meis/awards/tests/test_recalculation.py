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
from meis.awards.recalculation import (
    RecalculationError,
    recalculation_apply,
    recalculation_approve,
    recalculation_prepare,
    recalculation_reject,
)
from meis.awards.services import award_grant, basis_get_or_create
from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from meis.proactive.pipeline import run_execute, run_start
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
