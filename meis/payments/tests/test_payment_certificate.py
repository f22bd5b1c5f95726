# mypy: disable-error-code="no-untyped-def"
"""The payment certificate: a pensioner gets a signed statement of the payments received, for
a bank or an embassy, and whoever receives it checks it by its code."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.awards.models import AwardKind
from meis.awards.tests.factories import granted
from meis.certificates.definitions import OFFERED
from meis.certificates.models import Certificate
from meis.certificates.services import certificate_check
from meis.certificates.tests.conftest import (  # noqa: F401 — fixtures
    _signing_key,
    catalogue,
    signing_dir,
)
from meis.certificates.tests.test_journey import code_in
from meis.payments.certificate import CODE
from meis.payments.models import OutcomeStatus, PaymentOutcome, PayrollItem, Statement
from meis.payments.services import (
    payment_account_set,
    payment_files_write,
    payroll_approve,
    payroll_compute,
)
from meis.payments.tests.conftest import iban

MARCH, APRIL = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)
PERIOD = "/az/certificates/payments_received/period/"


@pytest.fixture(autouse=True)
def _december_2026():
    with time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def paid_pensioner(citizen, administrator, second_administrator, catalogue):  # noqa: F811
    """A pensioner paid 240 AZN at Kapital Bank in March and April 2026 (released payrolls)."""
    payment_account_set(person=citizen, iban=iban("AIIB", 41), actor=administrator, reason="")
    granted(citizen, AwardKind.OLD_AGE_PENSION, datetime.date(2025, 1, 1), amount_qepik=24_000)
    for month in (MARCH, APRIL):
        run = payroll_compute(month=month, actor=administrator)
        run = payroll_approve(run=run, actor=second_administrator)
        payment_files_write(run=run, actor=second_administrator)
    return citizen


def _form(**data: str) -> dict[str, str]:
    form = {
        "first_month": "2026-01",
        "last_month": "2026-12",
        "language": "az",
        "purpose": "embassy",
        "recipient": "Almaniya səfirliyi",
    }
    form.update(data)
    return form


def test_the_pensioner_gets_a_signed_certificate_of_the_payments_for_chosen_months(
    paid_pensioner,
):
    client = signed_in_citizen_client(paid_pensioner)
    page = client.get(PERIOD).content.decode()
    assert "Ödənişlər haqqında arayış" in page
    assert 'value="2026-01" selected' in page  # by default the last twelve months
    assert 'value="2026-12" selected' in page

    response = client.post(PERIOD, _form())

    assert response["Content-Type"] == "application/pdf"
    certificate = Certificate.objects.get(type_code=CODE)
    rows = dict(certificate.facts["rows"])
    assert certificate.facts["title"] == "Ödənişlər haqqında arayış"
    assert rows["Dövr"] == "01.2026 – 12.2026"
    march, april = [label for label in rows if label.startswith(("03.2026", "04.2026"))]
    assert "Kapital Bank" in rows[march]
    assert "240" in rows[march]
    assert "Kapital Bank" in rows[april]
    assert "480" in rows["Cəmi ödənilib"]
    assert certificate.recipient == "Almaniya səfirliyi"


def test_a_bank_checks_it_by_its_code_and_sees_the_payments(paid_pensioner):
    client = signed_in_citizen_client(paid_pensioner)
    code = code_in(client.post(PERIOD, _form(language="ru")).content)

    result = certificate_check(code=code, organisation="Kapital Bank", via="page", request=None)

    assert result is not None
    assert (result.status, result.facts_changed) == ("valid", False)
    assert result.title == "Справка о полученных выплатах"
    labels = [label for label, _value in result.rows]
    assert "Всего выплачено" in labels
    assert any(label.startswith("03.2026") for label in labels)


def test_a_payment_the_bank_returns_after_issue_shows_as_changed(paid_pensioner):
    client = signed_in_citizen_client(paid_pensioner)
    code = code_in(client.post(PERIOD, _form()).content)
    item = PayrollItem.objects.select_related("account__bank").get(run__month=APRIL)
    assert item.account is not None
    statement = Statement.objects.create(
        run=item.run, bank=item.account.bank, format="csv", message_id="M1", sha256="x" * 64
    )
    PaymentOutcome.objects.create(
        statement=statement,
        item=item,
        status=OutcomeStatus.RETURNED,
        amount_qepik=24_000,
        reason_code="AC04",
    )

    result = certificate_check(code=code, organisation="", via="page", request=None)

    assert result is not None
    assert result.facts_changed


def test_it_is_offered_among_the_certificates_with_the_last_twelve_months(paid_pensioner):
    assert CODE in [kind.code for kind in OFFERED]
    client = signed_in_citizen_client(paid_pensioner)
    assert "Ödənişlər haqqında arayış" in client.get("/az/certificates/").content.decode()

    response = client.post(
        "/en/certificates/",
        {"type_code": CODE, "language": "en", "purpose": "bank", "recipient": ""},
    )

    assert response["Content-Type"] == "application/pdf"
    rows = dict(Certificate.objects.get(type_code=CODE).facts["rows"])
    assert rows["Period"] == "01.2026 – 12.2026"
    assert [label for label in rows if label.startswith("03.2026")] == [
        "03.2026, Old-age labour pension"
    ]


def test_a_person_without_payments_gets_a_certificate_that_says_so(citizen, catalogue):  # noqa: F811
    client = signed_in_citizen_client(citizen)
    response = client.post("/en" + PERIOD.removeprefix("/az"), _form(language="en"))

    assert response["Content-Type"] == "application/pdf"
    rows = dict(Certificate.objects.get(type_code=CODE).facts["rows"])
    assert rows["Payments"] == "No payments in this period"
    assert rows["Total paid"].startswith("0")


def test_the_last_month_before_the_first_is_refused_with_a_reason(paid_pensioner):
    client = signed_in_citizen_client(paid_pensioner)
    page = client.post(
        "/en" + PERIOD.removeprefix("/az"), _form(first_month="2026-06", last_month="2026-03")
    ).content.decode()
    assert "The last month cannot be before the first: choose 06.2026 or later." in page
    assert not Certificate.objects.exists()


def test_a_type_without_a_period_has_no_period_page(paid_pensioner):
    client = signed_in_citizen_client(paid_pensioner)
    assert client.get("/az/certificates/pension/period/").status_code == 404
    assert client.get("/az/certificates/no-such-type/period/").status_code == 404


def test_my_payments_links_to_the_certificate_page(paid_pensioner):
    """By clicking: My payments → the payment certificate's page → the PDF."""
    client = signed_in_citizen_client(paid_pensioner)
    page = client.get(reverse("payments:mine")).content.decode()
    link = re.search(r'href="([^"]+)" data-testid="payments-certificate"', page)
    assert link is not None
    assert link.group(1) == PERIOD

    response = client.post(link.group(1), _form())

    assert response["Content-Type"] == "application/pdf"
