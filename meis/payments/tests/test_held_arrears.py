# mypy: disable-error-code="no-untyped-def"
"""Held months paid later: once a hold's reason is gone, the next payroll pays them, once.

The clock stands still (tick=False), as in the other payroll tests: every award is created at
the same instant as every run, which once made the arrears rule pay every award twice.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from meis.awards.models import AwardKind
from meis.awards.services import award_resume, award_suspend
from meis.awards.tests.factories import granted
from meis.payments.models import ItemStatus, PaymentAccount, PayrollItem
from meis.payments.services import (
    PaymentError,
    payment_account_set,
    payroll_approve,
    payroll_compute,
)
from meis.payments.tests.conftest import iban, person_make

FEBRUARY, MARCH, APRIL, MAY = (datetime.date(2026, m, 1) for m in (2, 3, 4, 5))
PENSION = AwardKind.OLD_AGE_PENSION


@pytest.fixture(autouse=True)
def _stopped_clock():
    with time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _pensioner(administrator, *, amount_qepik: int = 31_000):
    person = person_make(birth_on=datetime.date(1955, 1, 1))
    payment_account_set(person=person, iban=iban(account=person.pk), actor=administrator, reason="")
    award = granted(person, PENSION, datetime.date(2025, 1, 1), amount_qepik=amount_qepik)
    return person, award


def _bank_returned_a_payment(person) -> None:
    """What importing a statement with a returned payment does to the account
    (`services/returns.py`): later payrolls hold the awards until a new account."""
    PaymentAccount.objects.filter(person=person, ended_at__isnull=True).update(
        returned_at=timezone.now()
    )


def _item(month, award) -> PayrollItem:
    return PayrollItem.objects.get(run__month=month, award=award)


def test_a_month_held_for_a_returned_account_is_paid_with_the_next_payment(administrator):
    person, award = _pensioner(administrator)
    _bank_returned_a_payment(person)
    march = payroll_compute(month=MARCH, actor=administrator)
    assert _item(MARCH, award).status == ItemStatus.RETURNED
    assert march.total_qepik == 0

    payment_account_set(person=person, iban=iban(account=9_999), actor=administrator, reason="")
    april = payroll_compute(month=APRIL, actor=administrator)

    item = _item(APRIL, award)
    assert (item.status, item.amount_qepik, item.arrears_qepik) == (ItemStatus.DUE, 31_000, 31_000)
    assert (april.total_qepik, april.arrears_qepik) == (62_000, 31_000)


def test_the_held_month_is_paid_once_however_the_months_are_run(
    administrator, second_administrator
):
    person, award = _pensioner(administrator)
    _bank_returned_a_payment(person)
    payroll_compute(month=MARCH, actor=administrator)
    payment_account_set(person=person, iban=iban(account=9_999), actor=administrator, reason="")
    april = payroll_compute(month=APRIL, actor=administrator)

    with pytest.raises(PaymentError) as refused:  # April again: refused, nothing more paid
        payroll_compute(month=APRIL, actor=administrator)
    assert refused.value.code == "already_computed"
    payroll_approve(run=april, actor=second_administrator)
    may = payroll_compute(month=MAY, actor=administrator)

    assert _item(MAY, award).arrears_qepik == 0  # March was carried by April's payment
    assert may.total_qepik == 31_000
    paid = PayrollItem.objects.filter(award=award, status=ItemStatus.DUE)
    assert sum(i.amount_qepik + i.arrears_qepik for i in paid) == 2 * 31_000 + 31_000


def test_several_held_months_are_all_paid_when_the_account_is_recorded(administrator):
    person = person_make(birth_on=datetime.date(1955, 1, 1))  # no account yet
    award = granted(person, PENSION, datetime.date(2025, 1, 1), amount_qepik=31_000)
    payroll_compute(month=FEBRUARY, actor=administrator)
    payroll_compute(month=MARCH, actor=administrator)
    assert _item(MARCH, award).status == ItemStatus.NO_ACCOUNT

    payment_account_set(person=person, iban=iban(account=7), actor=administrator, reason="")
    payroll_compute(month=APRIL, actor=administrator)

    assert _item(APRIL, award).arrears_qepik == 2 * 31_000  # February and March


def test_a_lifted_suspension_pays_the_suspended_months(administrator):
    _person, award = _pensioner(administrator)
    award_suspend(award=award, reason="Abroad for over six months", actor=administrator)
    payroll_compute(month=MARCH, actor=administrator)
    assert _item(MARCH, award).status == ItemStatus.HELD

    award_resume(award=award, reason="Came back", actor=administrator)
    payroll_compute(month=APRIL, actor=administrator)

    assert _item(APRIL, award).arrears_qepik == 31_000


def test_a_month_still_held_is_not_paid_yet(administrator):
    person, award = _pensioner(administrator)
    _bank_returned_a_payment(person)
    payroll_compute(month=MARCH, actor=administrator)
    april = payroll_compute(month=APRIL, actor=administrator)  # no new account yet

    item = _item(APRIL, award)
    assert (item.status, item.arrears_qepik) == (ItemStatus.RETURNED, 0)
    assert april.held_qepik == 31_000  # April's own month; March is still owed, later


def test_an_award_that_ended_meanwhile_is_paid_only_up_to_its_end(administrator):
    person, award = _pensioner(administrator)
    _bank_returned_a_payment(person)
    payroll_compute(month=MARCH, actor=administrator)
    # Recorded late: the award ended on 10 March.
    award.end_on, award.status = datetime.date(2026, 3, 10), "ended"
    award.save(update_fields=["end_on", "status"])
    payment_account_set(person=person, iban=iban(account=9_999), actor=administrator, reason="")

    april = payroll_compute(month=APRIL, actor=administrator)

    item = _item(APRIL, award)  # April does not pay the award: an item of arrears alone
    assert (item.status, item.amount_qepik, item.arrears_qepik) == (ItemStatus.DUE, 0, 10_000)
    assert april.total_qepik == 10_000  # 10 of March's 31 days


def test_nothing_held_is_paid_to_a_recipient_who_has_died(administrator):
    person, award = _pensioner(administrator)
    _bank_returned_a_payment(person)
    payroll_compute(month=MARCH, actor=administrator)
    person.died_on = datetime.date(2026, 3, 20)
    person.save(update_fields=["died_on"])
    payment_account_set(person=person, iban=iban(account=9_999), actor=administrator, reason="")

    april = payroll_compute(month=APRIL, actor=administrator)

    assert not PayrollItem.objects.filter(run=april, award=award).exists()
    assert april.total_qepik == 0


def test_an_award_paid_every_month_gets_no_arrears_under_a_stopped_clock(administrator):
    """The arrears rule once compared the award's creation with the previous run's: equal under
    a stopped clock (and in one busy second), so every award was paid its months twice."""
    _person, award = _pensioner(administrator)
    payroll_compute(month=MARCH, actor=administrator)
    april = payroll_compute(month=APRIL, actor=administrator)
    assert _item(APRIL, award).arrears_qepik == 0
    assert april.total_qepik == 31_000


def test_a_back_dated_award_still_gets_its_missed_months(administrator):
    person = person_make(birth_on=datetime.date(1955, 1, 1))
    payment_account_set(person=person, iban=iban(account=5), actor=administrator, reason="")
    payroll_compute(month=MARCH, actor=administrator)
    award = granted(person, PENSION, datetime.date(2026, 3, 1), amount_qepik=31_000)
    payroll_compute(month=APRIL, actor=administrator)
    assert _item(APRIL, award).arrears_qepik == 31_000
