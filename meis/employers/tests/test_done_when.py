"""Issue 15's "done when", as one story with the demo employer: its representative notifies a
hire and confirms it with a one-time code; the employee is told and sees the contract; the first
contract opens the insurance account; the month-end accrual adds a record month and capital; the
work-history certificate lists the job; a termination for staff reduction ends it; a 1,000-row
upload with 20 bad rows reports exactly those 20."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from meis.certificates.facts import employment_facts
from meis.certificates.services import certificate_issue
from meis.certificates.tests.conftest import (  # noqa: F401
    _signing_key,
    catalogue,
    signing_dir,
)
from meis.demo.employers import DEMO_VOEN, employers_demo_load
from meis.employers.tests.test_upload import thousand_rows_twenty_bad, upload_and_confirm
from meis.employers.tests.test_views import confirm, hire_form, last_code, signed_in, url
from meis.insurance.models import Contribution, InsuranceAccount
from meis.labour.models import BatchMode, Contract, ContractStatus, NotificationBatch
from meis.labour.tasks import labour_monthly
from meis.notifications.models import Message
from meis.registry.models import Employer, Person
from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db

BAKU = ZoneInfo("Asia/Baku")


def work_history(person: Person, on: datetime.date) -> str:
    """The work-history certificate's lines in English, as the PDF prints them."""
    return "\n".join(
        f"{label['en']}: {value['en']}" for label, value in employment_facts(person, on).rows
    )


def at(day: datetime.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), BAKU), tick=False
    )


@pytest.mark.usefixtures("catalogue")
def test_the_demo_employer_hires_accrues_certifies_terminates_and_uploads() -> None:
    with at(datetime.date(2020, 3, 13)):
        IdentityDocumentFactory.create_batch(3)  # the demo citizens; the third heads the employer
        demo = employers_demo_load(on=datetime.date(2020, 3, 13))
        employer = Employer.objects.get(voen=DEMO_VOEN)
        assert demo.representative is not None
        representative = Person.objects.get(fin=demo.representative.fin)
        employer_pages = signed_in(representative)
        worker = PersonFactory.create()

        # The hire, confirmed with the representative's one-time code.
        assert (
            employer_pages.post(url("contract_new", employer), hire_form(worker.fin)).status_code
            == 302
        )
        confirm(employer_pages, employer, last_code(representative))
        contract = Contract.objects.get(person=worker, employer=employer)

        told = Message.objects.get(person=worker, event="contract_registered", channel="portal")
        assert contract.number in told.body_text
        mine = signed_in(worker).get("/en/my/contracts/").content.decode()
        assert contract.number in mine
        assert employer.name in mine
        account = InsuranceAccount.objects.get(person=worker)
        assert (account.opened_on, account.record_months) == (datetime.date(2020, 3, 16), 0)

    # March is accrued on the 16th of April: 16 of 31 days at 1 500 AZN.
    with at(datetime.date(2020, 4, 16)):
        assert labour_monthly().startswith("2020-03: ")
    account.refresh_from_db()
    march = Contribution.objects.get(person=worker, month_on=datetime.date(2020, 3, 1))
    assert (march.employer_voen, march.amount_qepik) == (DEMO_VOEN, 6_342 + 13_013)
    assert account.record_months == 1
    assert account.pension_capital_qepik == march.amount_qepik * 9 // 10

    with at(datetime.date(2020, 4, 20)):
        certificate = certificate_issue(
            person=worker,
            type_code="employment",
            language="en",
            recipient="Kapital Bank",
            actor=AnonymousUser(),
        )
        listed = work_history(worker, datetime.date(2020, 4, 20))
        assert f"{employer.name} (VÖEN {DEMO_VOEN})" in listed
        assert "16.03.2020 – to date" in listed
        assert certificate.code

        # A termination for staff reduction (Art. 70(b)) ends the contract (a new sign-in: the
        # March session has long expired).
        employer_pages = signed_in(representative)
        ended = employer_pages.post(
            url("contract_terminate", employer, contract_id=contract.pk),
            {"terminated_on": "2020-04-30", "ground": "70.b"},
        )
        assert ended.status_code == 302, ended.content.decode()
        confirm(employer_pages, employer, last_code(representative))
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on) == (
        ContractStatus.TERMINATED,
        datetime.date(2020, 4, 30),
    )
    assert contract.termination_ground is not None
    assert contract.termination_ground.gives_unemployment_insurance
    with at(datetime.date(2020, 5, 4)):
        listed = work_history(worker, datetime.date(2020, 5, 4))
    assert "16.03.2020 – 30.04.2020" in listed
    assert "Art. 70(b)" in listed

    # A thousand rows with twenty bad: row by row, exactly those twenty are reported.
    with at(datetime.date(2020, 3, 13)):
        employer_pages = signed_in(representative)
        content, expected = thousand_rows_twenty_bad()
        upload_and_confirm(
            employer_pages, employer, representative, "hires.csv", content, BatchMode.ROW_BY_ROW
        )
    batch = NotificationBatch.objects.get(employer=employer, file_name="hires.csv")
    assert (batch.rows, batch.registered, batch.refused) == (1000, 980, 20)
    assert {(p["row"], p["field"]) for p in batch.problems} == expected
