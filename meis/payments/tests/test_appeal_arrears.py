# mypy: disable-error-code="no-untyped-def"
"""An appeal won: the difference owed for the months before the new award is paid once, with
the new award's first payment.

The appeal's decision (`cases.services.awarding._replace`) replaces the award held from the
month of the decision and records in the new award what the higher amount owes for the months
before; the payroll pays that record.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from meis.awards.models import Award, AwardKind, AwardStatus
from meis.awards.services import award_grant, basis_get_or_create
from meis.awards.tests.factories import SCHEMES, granted
from meis.payments.models import ItemStatus, PaymentAccount, PayrollItem
from meis.payments.services import payment_account_set, payroll_compute
from meis.payments.tests.conftest import iban, person_make

FEBRUARY, MARCH, APRIL = (datetime.date(2026, m, 1) for m in (2, 3, 4))
PENSION = AwardKind.OLD_AGE_PENSION


@pytest.fixture(autouse=True)
def _stopped_clock():
    with time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _appeal_won(held: Award, *, amount_qepik: int, months: int) -> Award:
    """What the appeal's decision grants: the new amount from March, the difference before."""
    owed = (amount_qepik - held.amount_qepik) * months
    award = award_grant(
        person=held.person,
        kind=held.kind,
        amount_qepik=amount_qepik,
        start_on=MARCH,
        basis=basis_get_or_create(scheme=SCHEMES[AwardKind(held.kind)], on=MARCH),
        record={
            "facts": {},
            "steps": {},
            "arrears": {"months": months, "qepik": owed, "until": MARCH.isoformat()},
        },
        supersedes=held,
    )
    assert award is not None
    return award


def _item(month, award) -> PayrollItem:
    return PayrollItem.objects.get(run__month=month, award=award)


def test_the_difference_of_an_appeal_won_is_paid_once_with_the_first_payment(administrator):
    person = person_make(birth_on=datetime.date(1955, 1, 1))
    payment_account_set(person=person, iban=iban(account=person.pk), actor=administrator, reason="")
    held = granted(person, PENSION, datetime.date(2025, 3, 1), amount_qepik=31_000)
    payroll_compute(month=FEBRUARY, actor=administrator)

    raised = _appeal_won(held, amount_qepik=40_000, months=12)

    march = payroll_compute(month=MARCH, actor=administrator)
    item = _item(MARCH, raised)
    assert (item.status, item.amount_qepik, item.arrears_qepik) == (ItemStatus.DUE, 40_000, 108_000)
    assert not PayrollItem.objects.filter(run=march, award=held).exists()  # it ended in February
    assert (march.total_qepik, march.arrears_qepik) == (148_000, 108_000)

    april = payroll_compute(month=APRIL, actor=administrator)
    assert (_item(APRIL, raised).amount_qepik, _item(APRIL, raised).arrears_qepik) == (40_000, 0)
    assert april.arrears_qepik == 0


def test_a_held_first_payment_keeps_the_difference_until_the_hold_ends(administrator):
    person = person_make(birth_on=datetime.date(1955, 1, 1))
    payment_account_set(person=person, iban=iban(account=person.pk), actor=administrator, reason="")
    held = granted(person, PENSION, datetime.date(2025, 3, 1), amount_qepik=31_000)
    raised = _appeal_won(held, amount_qepik=40_000, months=12)
    PaymentAccount.objects.filter(person=person).update(
        ended_at=datetime.datetime.now(datetime.UTC)
    )

    payroll_compute(month=MARCH, actor=administrator)
    first = _item(MARCH, raised)
    assert (first.status, first.arrears_qepik) == (ItemStatus.NO_ACCOUNT, 108_000)

    payment_account_set(person=person, iban=iban(account=7_777), actor=administrator, reason="")
    april = payroll_compute(month=APRIL, actor=administrator)
    paid = _item(APRIL, raised)
    # April's amount, March's held amount and the appeal's difference held with it: once.
    assert (paid.status, paid.amount_qepik, paid.arrears_qepik) == (
        ItemStatus.DUE,
        40_000,
        40_000 + 108_000,
    )
    assert april.arrears_qepik == 148_000
    assert raised.status == AwardStatus.ACTIVE


def test_a_lower_amount_on_appeal_owes_nothing_for_the_months_before(administrator):
    person = person_make(birth_on=datetime.date(1955, 1, 1))
    payment_account_set(person=person, iban=iban(account=person.pk), actor=administrator, reason="")
    held = granted(person, PENSION, datetime.date(2025, 3, 1), amount_qepik=31_000)
    lowered = award_grant(
        person=person,
        kind=PENSION,
        amount_qepik=25_000,
        start_on=MARCH,
        basis=basis_get_or_create(scheme=SCHEMES[PENSION], on=MARCH),
        record={"facts": {}, "steps": {}, "arrears": {"months": 12, "qepik": 0, "until": "x"}},
        supersedes=held,
    )

    payroll_compute(month=MARCH, actor=administrator)
    assert _item(MARCH, lowered).arrears_qepik == 0
