# mypy: disable-error-code="no-untyped-def"
"""A bank's statement: credited and returned payments reconciled to the qəpik; a returned
payment holds the next payroll until a new account; bad or hostile files write nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from meis.audit.models import AuditEvent
from meis.awards.models import AwardKind
from meis.awards.tests.factories import granted
from meis.payments.bank_statement import camt054_write, csv_write, sent_payments
from meis.payments.models import (
    Bank,
    ItemStatus,
    PaymentAccount,
    PaymentOutcome,
    PaymentTask,
    PayrollItem,
    Statement,
)
from meis.payments.selectors import run_reconciliation
from meis.payments.services import (
    PaymentError,
    payment_account_set,
    payment_files_write,
    payroll_approve,
    payroll_compute,
)
from meis.payments.services.returns import statement_import
from meis.payments.tests.conftest import iban, person_make

MARCH, APRIL, MAY, JUNE = (datetime.date(2026, m, 1) for m in (3, 4, 5, 6))


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


@pytest.fixture
def people(administrator):
    """Three pensioners at Kapital Bank (AIIB), one at ABB (IBAZ)."""
    made = []
    for number, (bank, amount) in enumerate(
        [("AIIB", 24_000), ("AIIB", 31_055), ("AIIB", 18_001), ("IBAZ", 50_000)], start=1
    ):
        person = person_make()
        payment_account_set(person=person, iban=iban(bank, number), actor=administrator, reason="")
        granted(person, AwardKind.OLD_AGE_PENSION, datetime.date(2025, 1, 1), amount_qepik=amount)
        made.append(person)
    return made


@pytest.fixture
def march(people, administrator, second_administrator):
    return _released(MARCH, administrator, second_administrator)


def kapital() -> Bank:
    return Bank.objects.get(iban_code="AIIB")


def _item_of(run, person) -> PayrollItem:
    return PayrollItem.objects.get(run=run, person=person)


def test_a_statement_credits_and_returns_and_the_file_reconciles(march, people, administrator):
    returned = _item_of(march, people[1])
    content = camt054_write(march, kapital(), returned={returned.pk: "AC04"})
    statement = statement_import(
        run=march, content=content, file_name="camt054.xml", actor=administrator
    )
    assert (statement.credited_count, statement.credited_qepik) == (2, 42_001)
    assert (statement.returned_count, statement.returned_qepik) == (1, 31_055)
    outcome = PaymentOutcome.objects.get(item=returned)
    assert (outcome.status, outcome.reason_code) == ("returned", "AC04")
    rows = {row.bank: row for row in run_reconciliation(run=march)}
    kapital_row = rows[kapital().name]
    assert kapital_row.is_reconciled
    assert kapital_row.difference_qepik == 0
    abb = rows[Bank.objects.get(iban_code="IBAZ").name]
    assert (abb.unreported_count, abb.difference_qepik) == (1, 50_000)  # not yet reported
    assert AuditEvent.objects.filter(action="payments.statement_import").exists()


def test_a_returned_payment_holds_the_next_payroll_and_opens_a_task(
    march, people, administrator, second_administrator
):
    person = people[1]
    content = camt054_write(march, kapital(), returned={_item_of(march, person).pk: "MD07"})
    statement_import(run=march, content=content, file_name="s.xml", actor=administrator)
    task = PaymentTask.objects.get(person=person)
    assert (task.kind, task.reason_code, task.amount_qepik) == ("returned_payment", "MD07", 31_055)

    april = payroll_compute(month=APRIL, actor=administrator)
    assert _item_of(april, person).status == ItemStatus.RETURNED
    assert _item_of(april, people[0]).status == ItemStatus.DUE
    assert april.items_held == 1


def test_a_new_account_resumes_payments_and_closes_the_task(
    march, people, administrator, second_administrator
):
    person = people[1]
    content = camt054_write(march, kapital(), returned={_item_of(march, person).pk: "AC04"})
    statement_import(run=march, content=content, file_name="s.xml", actor=administrator)
    with pytest.raises(PaymentError) as refused:  # the closed account again
        payment_account_set(person=person, iban=iban("AIIB", 2), actor=administrator, reason="")
    assert refused.value.code == "account_returned"

    payment_account_set(person=person, iban=iban("IBAZ", 22), actor=administrator, reason="new")
    assert PaymentTask.objects.get(person=person).resolved_at is not None
    april = payroll_compute(month=APRIL, actor=administrator)
    assert _item_of(april, person).status == ItemStatus.DUE


def test_the_returned_payment_is_paid_again_to_the_new_account_once(
    march, people, administrator, second_administrator
):
    person = people[1]  # 310.55 manat a month; March's payment bounced off a closed account
    content = camt054_write(march, kapital(), returned={_item_of(march, person).pk: "AC04"})
    statement_import(run=march, content=content, file_name="s.xml", actor=administrator)
    april = payroll_compute(month=APRIL, actor=administrator)
    assert (_item_of(april, person).status, _item_of(april, person).arrears_qepik) == (
        ItemStatus.RETURNED,
        0,
    )  # still no account: April is held, March is still owed
    payroll_approve(run=april, actor=second_administrator)

    payment_account_set(person=person, iban=iban("IBAZ", 22), actor=administrator, reason="new")
    may = payroll_compute(month=MAY, actor=administrator)

    paid = _item_of(may, person)
    assert (paid.status, paid.amount_qepik, paid.arrears_qepik) == (
        ItemStatus.DUE,
        31_055,
        2 * 31_055,  # March, returned, and April, held
    )
    assert _item_of(may, people[0]).arrears_qepik == 0  # credited in March: nothing owed
    payroll_approve(run=may, actor=second_administrator)
    june = payroll_compute(month=JUNE, actor=administrator)
    assert _item_of(june, person).arrears_qepik == 0  # paid once


def test_the_csv_statement_is_read_the_same_way(march, people, administrator):
    content = csv_write(march, kapital(), returned={_item_of(march, people[2]).pk: "AC01"})
    statement = statement_import(run=march, content=content, file_name="s.csv", actor=administrator)
    assert (statement.format, statement.returned_count, statement.credited_count) == ("csv", 1, 2)


def _refused(run, content, administrator) -> PaymentError:
    with pytest.raises(PaymentError) as refused:
        statement_import(run=run, content=content, file_name="bad.xml", actor=administrator)
    assert not Statement.objects.exists()
    assert not PaymentOutcome.objects.exists()
    assert not PaymentAccount.objects.filter(returned_at__isnull=False).exists()
    return refused.value


def test_a_statement_of_another_run_is_refused_naming_both_months(
    march, people, administrator, second_administrator
):
    april = _released(APRIL, administrator, second_administrator)
    error = _refused(march, camt054_write(april, kapital()), administrator)
    assert error.code == "other_run"
    assert "04.2026" in error.message
    assert "03.2026" in error.message


def test_a_wrong_control_total_is_refused(march, administrator):
    content = camt054_write(march, kapital()).replace(b"<Sum>730.56</Sum>", b"<Sum>730.57</Sum>")
    assert b"730.57" in content
    error = _refused(march, content, administrator)
    assert error.code == "control_total"
    assert "730.57" in error.message
    assert "730.56" in error.message


def test_the_same_statement_twice_is_refused_and_counts_once(march, administrator):
    content = camt054_write(march, kapital())
    statement_import(run=march, content=content, file_name="s.xml", actor=administrator)
    with pytest.raises(PaymentError) as refused:
        statement_import(run=march, content=content, file_name="s.xml", actor=administrator)
    assert refused.value.code == "duplicate"
    assert PaymentOutcome.objects.count() == 3


def test_payments_already_reconciled_are_not_counted_again(march, administrator):
    statement_import(
        run=march, content=camt054_write(march, kapital()), file_name="a", actor=administrator
    )
    again = camt054_write(march, kapital(), message_id="ANOTHER-MESSAGE")
    with pytest.raises(PaymentError) as refused:
        statement_import(run=march, content=again, file_name="b", actor=administrator)
    assert refused.value.code == "already_reconciled"
    assert Statement.objects.count() == 1


def test_an_amount_that_differs_from_what_was_sent_is_refused(march, administrator):
    payments = sent_payments(march, kapital())
    payments[0] = (payments[0][0], payments[0][1] + 1)
    error = _refused(march, camt054_write(march, kapital(), payments=payments), administrator)
    assert error.code == "amount_differs"


def test_a_payment_that_was_never_sent_is_refused(march, administrator):
    error = _refused(
        march, camt054_write(march, kapital(), payments=[(999_999, 100)]), administrator
    )
    assert error.code == "unknown_payment"
    assert "202603-999999" in error.message


def test_a_statement_before_the_files_are_released_is_refused(people, administrator):
    run = payroll_compute(month=MARCH, actor=administrator)
    error = _refused(run, camt054_write(run, kapital()), administrator)
    assert error.code == "not_released"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"<Document>\x00</Document>", "nul_bytes"),
        ("<?xml version='1.0' encoding='latin-1'?><a>\xe9</a>".encode("latin-1"), "encoding"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<d>&x;</d>",
            "dtd",
        ),
        (
            b'<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>',
            "dtd",
        ),
        (b"<Document><unclosed></Document>", "malformed"),
        (b'<Document xmlns="urn:other"/>', "not_camt054"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">'
            b"<BkToCstmrDbtCdtNtfctn/></Document>",
            "schema",
        ),
        (b"just some text", "format"),
        (b"MEIS-STATEMENT;m;AZ;1\nwrong header\n", "csv_header"),
    ],
)
def test_bad_and_hostile_files_are_refused_with_a_reason(march, administrator, content, code):
    error = _refused(march, content, administrator)
    assert error.code == code
    assert error.message


def test_a_return_without_a_reason_is_refused(march, administrator):
    content = camt054_write(march, kapital()).replace(
        b"<CdtDbtInd>DBIT</CdtDbtInd>", b"<CdtDbtInd>CRDT</CdtDbtInd>", 1
    )
    assert _refused(march, content, administrator).code == "no_reason"


def test_only_an_administrator_imports_a_statement(march, case_worker):
    error = _refused(march, camt054_write(march, kapital()), case_worker)
    assert error.code == "not_administrator"


def test_paid_totals_by_scheme_and_region_leave_out_returned_payments(march, people, administrator):
    from meis.payments.selectors import paid_by_scheme_and_region

    returned = _item_of(march, people[0])
    content = camt054_write(march, kapital(), returned={returned.pk: "AC04"})
    statement_import(run=march, content=content, file_name="s.xml", actor=administrator)
    totals = paid_by_scheme_and_region(month_from=MARCH, month_to=APRIL)
    assert [(t.month, t.kind, t.region, t.count, t.paid_qepik) for t in totals] == [
        (MARCH, "old_age_pension", "baku", 3, 31_055 + 18_001 + 50_000)
    ]
