# mypy: disable-error-code="no-untyped-def"
"""The pages: a pensioner sees their payment and changes their account; administrators compute,
approve (not their own run) and download the files; other staff are refused."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.testing import otp_verified
from meis.awards.models import AwardKind
from meis.awards.tests.factories import granted
from meis.payments.models import PaymentAccount, PaymentFile, PayrollRun, RunState
from meis.payments.tests.conftest import iban


@pytest.fixture(autouse=True)
def _media_and_clock(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False):
        yield


def signed_in(person) -> Client:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    return client


def account_given(person, account_iban: str) -> Client:
    """The citizen gives an IBAN on My payments and confirms it with the code sent to them."""
    import re

    from meis.notifications.models import Message

    client = signed_in(person)
    assert client.post(reverse("payments:mine"), {"iban": account_iban}).status_code == 302
    body = Message.objects.filter(person=person, event="one_time_code").latest("id").body_text
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    assert client.post(reverse("payments:confirm"), {"code": code}).status_code == 302
    return client


def test_my_record_links_to_my_payments(citizen):
    page = signed_in(citizen).get(reverse("accounts:my_record"))
    assert reverse("payments:mine") in page.content.decode()


def test_a_citizen_gives_an_iban_and_sees_the_bank(citizen):
    client = account_given(citizen, iban("IBAZ", 5))
    page = client.get(reverse("payments:mine")).content.decode()
    assert "ABB" in page
    assert PaymentAccount.objects.get(person=citizen).changed_by is not None


def test_a_citizen_is_told_what_is_wrong_with_an_iban_of_an_unknown_bank(citizen):
    response = signed_in(citizen).post(reverse("payments:mine"), {"iban": iban("ZZZZ", 5)})
    assert response.status_code == 400
    assert "ZZZZ" in response.content.decode()
    assert not PaymentAccount.objects.filter(person=citizen).exists()


def test_the_full_journey_a_pensioner_sees_the_payment_once_released(
    citizen, administrator, second_administrator
):
    granted(citizen, AwardKind.OLD_AGE_PENSION, datetime.date(2025, 1, 1))
    account_given(citizen, iban("AIIB", 9))
    first, second = (
        otp_verified(Client(), administrator),
        otp_verified(Client(), second_administrator),
    )
    assert reverse("payroll:runs") in first.get(reverse("accounts:staff_home")).content.decode()

    assert first.post(reverse("payroll:runs"), {"month": "2026-03"}).status_code == 302
    run = PayrollRun.objects.get(month=datetime.date(2026, 3, 1))
    refused = first.post(reverse("payroll:approve", args=[run.pk]))
    assert refused.status_code == 409
    assert second.post(reverse("payroll:approve", args=[run.pk])).status_code == 302
    assert second.post(reverse("payroll:release", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.state == RunState.RELEASED

    payment_file = PaymentFile.objects.get(run=run)
    download = first.get(reverse("payroll:download", args=[payment_file.pk]))
    assert download.status_code == 200
    assert b"pain.001.001.03" in b"".join(download.streaming_content)  # type: ignore[attr-defined]
    from meis.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="payments.file_download").exists()
    page = signed_in(citizen).get(reverse("payments:mine")).content.decode()
    assert "03.2026" in page
    assert "Kapital Bank" in page


def test_a_future_month_is_refused_on_the_page(administrator):
    client = otp_verified(Client(), administrator)
    response = client.post(reverse("payroll:runs"), {"month": "2027-05"})
    assert response.status_code == 409
    assert "05.2027" in response.content.decode()


def test_a_case_worker_may_not_open_the_payroll(case_worker):
    client = otp_verified(Client(), case_worker)
    assert client.get(reverse("payroll:runs")).status_code == 403


def test_an_administrator_imports_a_statement_from_the_run_page(
    citizen, administrator, second_administrator
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meis.audit.models import AuditEvent
    from meis.payments.bank_statement import camt054_write
    from meis.payments.models import Bank, PayrollItem, Statement

    granted(citizen, AwardKind.OLD_AGE_PENSION, datetime.date(2025, 1, 1))
    account_given(citizen, iban("AIIB", 9))
    first, second = (
        otp_verified(Client(), administrator),
        otp_verified(Client(), second_administrator),
    )
    first.post(reverse("payroll:runs"), {"month": "2026-03"})
    run = PayrollRun.objects.get(month=datetime.date(2026, 3, 1))
    second.post(reverse("payroll:approve", args=[run.pk]))
    second.post(reverse("payroll:release", args=[run.pk]))
    run_url = reverse("payroll:run", args=[run.pk])
    assert run_url in first.get(reverse("payroll:runs")).content.decode()  # reached by a click

    bad = SimpleUploadedFile("s.xml", b"<Document><unclosed></Document>")
    refused = first.post(run_url, {"statement": bad})
    assert refused.status_code == 409
    assert not Statement.objects.exists()

    item = PayrollItem.objects.get(run=run)
    content = camt054_write(run, Bank.objects.get(iban_code="AIIB"), returned={item.pk: "AC04"})
    response = first.post(run_url, {"statement": SimpleUploadedFile("s.xml", content)})
    assert response.status_code == 302
    page = first.get(run_url).content.decode()
    assert 'data-testid="reconciliation"' in page
    assert citizen.last_name in page  # the returned payment's recipient
    assert AuditEvent.objects.filter(action="payments.returns_view").exists()
    tasks = first.get(reverse("payroll:tasks")).content.decode()
    assert citizen.fin in tasks
    assert AuditEvent.objects.filter(action="payments.tasks_view").exists()
    mine = signed_in(citizen).get(reverse("payments:mine")).content.decode()
    with translation.override("az"):  # the page is in the citizen's language
        assert gettext("Returned by the bank") in mine


def test_a_case_worker_may_not_open_a_run_or_the_tasks(case_worker, administrator):
    run = PayrollRun.objects.create(month=datetime.date(2026, 3, 1), state=RunState.COMPUTED)
    client = otp_verified(Client(), case_worker)
    assert client.get(reverse("payroll:run", args=[run.pk])).status_code == 403
    assert client.get(reverse("payroll:tasks")).status_code == 403
