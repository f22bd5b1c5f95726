# mypy: disable-error-code="no-untyped-def"
"""Overpayments: a payment for a month after a death or an end recorded late is found when the
next payroll is computed; withheld from later payments within the limit, or claimed from the
estate with a letter to the family; never twice."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from meis.audit.models import AuditEvent
from meis.awards.models import Award, AwardKind
from meis.awards.tests.factories import granted
from meis.notifications.models import Message
from meis.payments import pain001
from meis.payments.bank_statement import camt054_write
from meis.payments.models import (
    Bank,
    Overpayment,
    PaymentTask,
    PayrollItem,
    Recovery,
)
from meis.payments.services import (
    PaymentError,
    payment_account_set,
    payment_files_write,
    payroll_approve,
    payroll_compute,
    statement_import,
)
from meis.payments.services.files import files_dir
from meis.payments.services.overpayments import deduction_share_percent, overpayments_find
from meis.payments.tests.conftest import iban, person_make
from meis.registry.models import Relation
from meis.registry.tests.factories import HouseholdFactory, HouseholdMembershipFactory

MARCH, APRIL, MAY = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1), datetime.date(2026, 5, 1)
PENSION = AwardKind.OLD_AGE_PENSION


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=True):
        yield


def _released(month, administrator, second_administrator):
    run = payroll_compute(month=month, actor=administrator)
    run = payroll_approve(run=run, actor=second_administrator)
    payment_files_write(run=run, actor=second_administrator)
    run.refresh_from_db()
    return run


def _pensioner(administrator, number=1, amount=30_000):
    person = person_make(birth_on=datetime.date(1955, 1, 1))
    payment_account_set(person=person, iban=iban(account=number), actor=administrator, reason="")
    award = granted(person, PENSION, datetime.date(2025, 1, 1), amount_qepik=amount)
    return person, award


def _dies(person, on):
    person.died_on = on
    person.save(update_fields=["died_on"])


def test_the_deduction_limit_is_a_dated_parameter():
    assert deduction_share_percent(datetime.date(2026, 4, 1)) == 20


def test_a_death_registered_after_the_run_is_claimed_from_the_family(
    administrator, second_administrator
):
    person, award = _pensioner(administrator)
    household = HouseholdFactory()
    HouseholdMembershipFactory(household=household, person=person, relation=Relation.HEAD)
    son = person_make(birth_on=datetime.date(1980, 2, 2), preferred_language="en")
    HouseholdMembershipFactory(household=household, person=son, relation=Relation.CHILD)
    march = _released(MARCH, administrator, second_administrator)
    _dies(person, datetime.date(2026, 2, 20))  # registered late: March was paid

    april = payroll_compute(month=APRIL, actor=administrator)

    overpayment = Overpayment.objects.get(person=person)
    assert overpayment.item == PayrollItem.objects.get(run=march, award=award)
    assert (overpayment.reason, overpayment.overpaid_qepik) == ("death", 30_000)
    assert overpayment.state == "claimed"
    assert overpayment.found_in_run == april
    assert not PayrollItem.objects.filter(run=april, award=award).exists()
    letter = Message.objects.get(event="overpayment_estate", channel="sms")
    assert letter.person == son
    assert letter.recipient == son.verified_phone
    task = PaymentTask.objects.get(kind="overpayment_claim")
    assert (task.person, task.amount_qepik, task.details) == (person, 30_000, "family")
    assert not Message.objects.filter(person=person, event="overpayment_recovery").exists()


def test_without_a_family_the_estate_letter_goes_to_the_deceased_s_contact(
    administrator, second_administrator
):
    person, _award = _pensioner(administrator)
    _released(MARCH, administrator, second_administrator)
    _dies(person, datetime.date(2026, 2, 27))
    payroll_compute(month=APRIL, actor=administrator)
    letter = Message.objects.get(event="overpayment_estate")
    assert letter.recipient == person.verified_phone
    assert PaymentTask.objects.get(kind="overpayment_claim").details == "deceased_contact"


def test_a_death_within_the_paid_month_is_no_overpayment(administrator, second_administrator):
    person, _award = _pensioner(administrator)
    _released(MARCH, administrator, second_administrator)
    _dies(person, datetime.date(2026, 3, 15))  # March is paid in full by law
    payroll_compute(month=APRIL, actor=administrator)
    assert not Overpayment.objects.exists()


def test_a_late_end_is_withheld_from_the_next_payments_within_the_limit(
    administrator, second_administrator
):
    person, pension = _pensioner(administrator, amount=31_000)
    assistance = granted(
        person, AwardKind.TARGETED_ASSISTANCE, datetime.date(2025, 6, 1), amount_qepik=10_000
    )
    _released(MARCH, administrator, second_administrator)
    # The assistance's end on 10 March is recorded after March was paid in full.
    Award.objects.filter(pk=assistance.pk).update(end_on=datetime.date(2026, 3, 10), status="ended")

    april = _released(APRIL, administrator, second_administrator)

    overpayment = Overpayment.objects.get(person=person)
    assert (overpayment.reason, overpayment.overpaid_qepik) == ("end", 10_000 - 3_226)  # 21 days
    item = PayrollItem.objects.get(run=april, award=pension)
    assert item.recovered_qepik == 31_000 * 20 // 100  # the limit, not the whole 6,774
    assert Recovery.objects.get().amount_qepik == 6_200
    assert april.recovered_qepik == 6_200
    assert april.total_qepik == 31_000 - 6_200
    written = april.files.get()
    assert written.control_sum_qepik == 24_800
    checked = pain001.check(str(files_dir(april) / written.file_name))
    assert checked.sum_qepik == 24_800
    assert Message.objects.filter(person=person, event="overpayment_recovery").exists()

    may = payroll_compute(month=MAY, actor=administrator)
    assert PayrollItem.objects.get(run=may, award=pension).recovered_qepik == 574
    overpayment.refresh_from_db()
    assert (overpayment.recovered_qepik, overpayment.state) == (6_774, "recovered")


def test_an_overpayment_is_found_once(administrator, second_administrator):
    person, _award = _pensioner(administrator)
    _released(MARCH, administrator, second_administrator)
    _dies(person, datetime.date(2026, 1, 31))
    _released(APRIL, administrator, second_administrator)
    payroll_compute(month=MAY, actor=administrator)
    assert Overpayment.objects.count() == 1
    assert Message.objects.filter(event="overpayment_estate").count() == 1


def test_a_payment_the_bank_returned_is_no_overpayment(administrator, second_administrator):
    person, award = _pensioner(administrator)
    march = _released(MARCH, administrator, second_administrator)
    item = PayrollItem.objects.get(run=march, award=award)
    content = camt054_write(march, Bank.objects.get(iban_code="AIIB"), returned={item.pk: "MD07"})
    statement_import(run=march, content=content, file_name="s.xml", actor=administrator)
    _dies(person, datetime.date(2026, 2, 10))
    payroll_compute(month=APRIL, actor=administrator)
    assert not Overpayment.objects.exists()


def test_an_administrator_may_look_for_overpayments_at_once(
    administrator, second_administrator, case_worker
):
    person, _award = _pensioner(administrator)
    _released(MARCH, administrator, second_administrator)
    _dies(person, datetime.date(2026, 2, 1))
    with pytest.raises(PaymentError) as refused:
        overpayments_find(actor=case_worker)
    assert refused.value.code == "not_administrator"
    found = overpayments_find(actor=administrator)
    assert [o.person for o in found] == [person]
    assert AuditEvent.objects.filter(action="payments.overpayments_find").exists()
    assert overpayments_find(actor=administrator) == []
