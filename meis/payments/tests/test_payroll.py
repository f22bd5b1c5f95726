# mypy: disable-error-code="no-untyped-def"
"""The monthly payroll: prorated, nothing after death or end, suspended held, never twice."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from meis.audit.models import AuditEvent
from meis.awards.models import AwardKind
from meis.awards.services import award_suspend
from meis.awards.tests.factories import granted
from meis.payments.models import ItemStatus, PayrollItem, PayrollRun, RunState
from meis.payments.services import (
    PaymentError,
    payment_account_set,
    payroll_approve,
    payroll_compute,
    prorated,
)
from meis.payments.tests.conftest import iban, person_make

MARCH = datetime.date(2026, 3, 1)
PENSION = AwardKind.OLD_AGE_PENSION


@pytest.fixture(autouse=True)
def _in_december_2026():
    with time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _paid_person(administrator, number: int = 1):
    person = person_make(birth_on=datetime.date(1955, 1, 1))
    payment_account_set(person=person, iban=iban(account=number), actor=administrator, reason="")
    return person


def _item(run, award) -> PayrollItem:
    return PayrollItem.objects.get(run=run, award=award)


def test_a_whole_month_pays_the_monthly_amount(administrator):
    award = granted(_paid_person(administrator), PENSION, datetime.date(2025, 1, 1))
    run = payroll_compute(month=MARCH, actor=administrator)
    item = _item(run, award)
    assert (item.amount_qepik, item.status) == (24_000, ItemStatus.DUE)
    assert run.total_qepik == 24_000
    assert run.items_due == 1


def test_an_award_starting_mid_month_is_prorated_by_days(administrator):
    award = granted(
        _paid_person(administrator), PENSION, datetime.date(2026, 3, 17), amount_qepik=31_000
    )
    run = payroll_compute(month=MARCH, actor=administrator)
    assert _item(run, award).amount_qepik == 15_000  # 15 of 31 days


def test_an_award_ending_mid_month_is_prorated_and_not_paid_after(administrator):
    person = _paid_person(administrator)
    award = granted(
        person,
        PENSION,
        datetime.date(2025, 1, 1),
        amount_qepik=30_000,
        end_on=datetime.date(2026, 4, 10),
    )
    april = payroll_compute(month=datetime.date(2026, 4, 1), actor=administrator)
    may = payroll_compute(month=datetime.date(2026, 5, 1), actor=administrator)
    assert _item(april, award).amount_qepik == 10_000
    assert not PayrollItem.objects.filter(run=may, award=award).exists()


def test_the_sql_and_the_python_rule_round_half_up_alike(administrator):
    award = granted(
        _paid_person(administrator), PENSION, datetime.date(2026, 2, 20), amount_qepik=10_001
    )
    run = payroll_compute(month=datetime.date(2026, 2, 1), actor=administrator)
    expected = prorated(10_001, start_on=award.start_on, end_on=None, died_on=None, month=run.month)
    assert _item(run, award).amount_qepik == expected == 3_215  # 9/28 of 10,001 = 3,214.6


def test_a_death_mid_month_pays_that_month_and_nothing_after(administrator):
    person = _paid_person(administrator)
    award = granted(person, PENSION, datetime.date(2025, 1, 1))
    person.died_on = datetime.date(2026, 3, 15)
    person.save(update_fields=["died_on"])
    march = payroll_compute(month=MARCH, actor=administrator)
    april = payroll_compute(month=datetime.date(2026, 4, 1), actor=administrator)
    assert _item(march, award).amount_qepik == 24_000
    assert not PayrollItem.objects.filter(run=april, award=award).exists()


def test_a_suspended_award_is_held_not_paid(administrator, case_worker):
    award = granted(_paid_person(administrator), PENSION, datetime.date(2025, 1, 1))
    award_suspend(award=award, reason="Abroad for over six months", actor=administrator)
    run = payroll_compute(month=MARCH, actor=administrator)
    assert _item(run, award).status == ItemStatus.HELD
    assert (run.items_due, run.items_held, run.total_qepik) == (0, 1, 0)


def test_a_recipient_without_an_account_is_held(administrator):
    award = granted(person_make(), PENSION, datetime.date(2025, 1, 1))
    run = payroll_compute(month=MARCH, actor=administrator)
    assert _item(run, award).status == ItemStatus.NO_ACCOUNT


def test_a_back_dated_award_is_paid_the_missed_payroll_months_as_arrears(administrator):
    person = _paid_person(administrator)
    payroll_compute(month=datetime.date(2026, 2, 1), actor=administrator)
    award = granted(person, PENSION, datetime.date(2026, 1, 15), amount_qepik=28_000)
    run = payroll_compute(month=MARCH, actor=administrator)
    item = _item(run, award)
    # January had no payroll in this system; February's is owed in full.
    assert (item.amount_qepik, item.arrears_qepik) == (28_000, 28_000)
    assert run.arrears_qepik == 28_000
    assert run.total_qepik == 56_000


def test_a_future_month_is_refused(administrator):
    with pytest.raises(PaymentError) as refused:
        payroll_compute(month=datetime.date(2027, 1, 1), actor=administrator)
    assert refused.value.code == "future_month"
    assert "01.2027" in refused.value.message


def test_computing_a_month_again_is_refused_and_pays_nothing_twice(administrator):
    award = granted(_paid_person(administrator), PENSION, datetime.date(2025, 1, 1))
    payroll_compute(month=MARCH, actor=administrator)
    with pytest.raises(PaymentError) as refused:
        payroll_compute(month=datetime.date(2026, 3, 20), actor=administrator)
    assert refused.value.code == "already_computed"
    assert PayrollItem.objects.filter(award=award).count() == 1


def test_the_database_refuses_a_second_run_of_a_month(administrator):
    PayrollRun.objects.create(month=MARCH, state=RunState.COMPUTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollRun.objects.create(month=MARCH, state=RunState.COMPUTED)


def test_an_approved_month_cannot_be_computed_again(administrator, second_administrator):
    run = payroll_compute(month=MARCH, actor=administrator)
    payroll_approve(run=run, actor=second_administrator)
    with pytest.raises(PaymentError) as refused:
        payroll_compute(month=MARCH, actor=administrator)
    assert refused.value.code == "already_approved"


def test_a_second_administrator_approves_and_it_is_audited(administrator, second_administrator):
    run = payroll_compute(month=MARCH, actor=administrator)
    run = payroll_approve(run=run, actor=second_administrator)
    assert (run.state, run.approved_by) == (RunState.APPROVED, second_administrator)
    assert AuditEvent.objects.filter(action="payments.payroll_approve").exists()


def test_the_administrator_who_computed_may_not_approve(administrator):
    run = payroll_compute(month=MARCH, actor=administrator)
    with pytest.raises(PaymentError) as refused:
        payroll_approve(run=run, actor=administrator)
    assert refused.value.code == "same_administrator"
    run.refresh_from_db()
    assert run.state == RunState.COMPUTED


def test_an_approved_run_is_not_approved_twice(administrator, second_administrator):
    run = payroll_compute(month=MARCH, actor=administrator)
    payroll_approve(run=run, actor=second_administrator)
    with pytest.raises(PaymentError) as refused:
        payroll_approve(run=run, actor=second_administrator)
    assert refused.value.code == "already_approved"


def test_a_case_worker_may_not_compute_a_payroll(case_worker):
    with pytest.raises(PaymentError) as refused:
        payroll_compute(month=MARCH, actor=case_worker)
    assert refused.value.code == "not_administrator"
