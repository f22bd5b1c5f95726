# mypy: disable-error-code="no-untyped-def, arg-type, union-attr"
"""Issue 23's done-when, in the demo: last month's payroll computed, approved by a second
administrator and written as one valid file per bank; a pensioner sees the payment; a bank's
statement returns two payments and stops those two recipients' payments; a death registered
after the run turns the paid month into an overpayment, with a letter to the family."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from meis.accounts.services import citizen_account_get_or_create
from meis.awards.models import AwardKind
from meis.awards.tests.factories import granted
from meis.demo.payments import payments_demo_load
from meis.demo.staff import accounts_demo_load
from meis.notifications.models import Message
from meis.payments import pain001
from meis.payments.models import (
    ItemStatus,
    Overpayment,
    PaymentOutcome,
    PaymentTask,
    PayrollItem,
    PayrollRun,
    RunState,
)
from meis.payments.services.files import files_dir
from meis.registry.models import Relation
from meis.registry.tests.factories import (
    HouseholdFactory,
    HouseholdMembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
MAY, JUNE = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 6, 10, 9, tzinfo=datetime.UTC)):
        accounts_demo_load()
        for number in range(10):
            person = PersonFactory(birth_on=datetime.date(1950 + number, 1, 1))
            household = HouseholdFactory()
            HouseholdMembershipFactory(household=household, person=person)
            if number == 3:  # a pensioner living with a grown-up son who has a phone
                son = PersonFactory(birth_on=datetime.date(1980, 1, 1))
                HouseholdMembershipFactory(household=household, person=son, relation=Relation.CHILD)
            granted(person, AwardKind.OLD_AGE_PENSION, datetime.date(2025, 1, 1))
        yield payments_demo_load(on=datetime.date(2026, 6, 10))


def test_last_month_is_computed_approved_by_a_second_administrator_and_released(demo):
    run = PayrollRun.objects.get(month=MAY)
    assert run.state == RunState.RELEASED
    assert (run.computed_by.username, run.approved_by.username) == ("demo-payroll", "demo-admin")
    files = list(run.files.select_related("bank"))
    assert len({f.bank_id for f in files}) == len(files) > 1  # one file per bank
    for payment_file in files:
        checked = pain001.check(str(files_dir(run) / payment_file.file_name))
        assert not checked.error
        assert (checked.count, checked.sum_qepik) == (
            payment_file.item_count,
            payment_file.control_sum_qepik,
        )


def test_a_pensioner_sees_the_payment(demo):
    client = Client()
    client.force_login(citizen_account_get_or_create(person=demo.pensioner))
    page = client.get(reverse("payments:mine")).content.decode()
    assert "05.2026" in page
    assert "240" in page


def test_two_returned_payments_stop_those_two_recipients_payments(demo):
    assert len(demo.returned) == 2
    returned = PaymentOutcome.objects.filter(status="returned")
    assert {o.item.person for o in returned} == set(demo.returned)
    june = PayrollItem.objects.filter(run__month=JUNE)
    for person in demo.returned:
        assert june.get(person=person).status == ItemStatus.RETURNED
    assert (
        PaymentTask.objects.filter(kind="returned_payment", resolved_at__isnull=True).count() == 2
    )
    assert june.filter(status=ItemStatus.DUE).exists()


def test_a_death_registered_after_the_run_is_an_overpayment_with_a_letter(demo):
    deceased = demo.deceased
    assert deceased.died_on == datetime.date(2026, 4, 30)
    overpayment = Overpayment.objects.get(person=deceased)
    assert overpayment.item.run.month == MAY
    assert (overpayment.reason, overpayment.state) == ("death", "claimed")
    assert not PayrollItem.objects.filter(run__month=JUNE, person=deceased).exists()
    letter = Message.objects.filter(event="overpayment_estate").first()
    assert letter is not None
    assert letter.person != deceased  # the son, not the dead


def test_this_month_waits_for_the_second_administrator_and_a_second_load_does_nothing(demo):
    assert PayrollRun.objects.get(month=JUNE).state == RunState.COMPUTED
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, tzinfo=datetime.UTC)):
        again = payments_demo_load(on=datetime.date(2026, 6, 10))
    assert again.this_month is None
    assert PayrollRun.objects.count() == 2
