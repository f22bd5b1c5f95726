# mypy: disable-error-code="no-untyped-def"
"""Payment files: one pain.001.001.03 per bank, valid by the schema, adding up to the items."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import time_machine
from lxml import etree  # type: ignore[import-untyped]  # no stubs shipped

from meis.awards.models import AwardKind
from meis.awards.tests.factories import granted
from meis.payments.models import ItemStatus, PayrollItem, RunState
from meis.payments.services import (
    PaymentError,
    payment_account_set,
    payment_files_write,
    payroll_approve,
    payroll_compute,
)
from meis.payments.services.files import NAMESPACE, _line, file_check, files_dir, schema
from meis.payments.tests.conftest import iban, person_make

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def approved(administrator, second_administrator):
    for number, (bank, amount) in enumerate(
        [("AIIB", 24_000), ("AIIB", 31_055), ("IBAZ", 18_001), ("HAJC", 50_000)], start=1
    ):
        person = person_make(last_name="Məmmədov & <Oğlu>")
        payment_account_set(person=person, iban=iban(bank, number), actor=administrator, reason="")
        granted(person, AwardKind.OLD_AGE_PENSION, datetime.date(2025, 1, 1), amount_qepik=amount)
    granted(person_make(), AwardKind.OLD_AGE_PENSION, datetime.date(2025, 1, 1))  # no account
    run = payroll_compute(month=MARCH, actor=administrator)
    return payroll_approve(run=run, actor=second_administrator)


def test_one_valid_file_per_bank_with_control_sums_equal_to_the_items(approved, administrator):
    files = payment_files_write(run=approved, actor=administrator)
    assert {f.bank.iban_code: (f.item_count, f.control_sum_qepik) for f in files} == {
        "AIIB": (2, 55_055),
        "IBAZ": (1, 18_001),
        "HAJC": (1, 50_000),
    }
    for written in files:
        path = files_dir(approved) / written.file_name
        document = etree.parse(str(path))
        assert schema().validate(document), schema().error_log
        ns = {"p": NAMESPACE}
        amounts = document.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=ns)
        total = sum(round(float(a) * 100) for a in amounts)
        assert total == written.control_sum_qepik
        assert document.xpath("string(//p:GrpHdr/p:CtrlSum)", namespaces=ns) == (
            f"{written.control_sum_qepik / 100:.2f}"
        )


def test_writing_the_files_releases_the_run_once(approved, administrator):
    payment_files_write(run=approved, actor=administrator)
    approved.refresh_from_db()
    assert approved.state == RunState.RELEASED
    statuses = set(PayrollItem.objects.filter(run=approved).values_list("status", flat=True))
    assert statuses == {ItemStatus.DUE, ItemStatus.NO_ACCOUNT}
    with pytest.raises(PaymentError) as refused:
        payment_files_write(run=approved, actor=administrator)
    assert refused.value.code == "already_released"


def test_files_of_a_run_not_approved_are_refused(administrator):
    run = payroll_compute(month=MARCH, actor=administrator)
    with pytest.raises(PaymentError) as refused:
        payment_files_write(run=run, actor=administrator)
    assert refused.value.code == "not_approved"


def test_a_file_that_breaks_the_schema_is_refused(tmp_path: Path):
    bad = tmp_path / "bad.xml"
    bad.write_text(f'<Document xmlns="{NAMESPACE}"><CstmrCdtTrfInitn/></Document>')
    with pytest.raises(PaymentError) as refused:
        file_check(bad)
    assert refused.value.code == "schema"


def test_large_runs_check_their_files_in_worker_processes(approved, administrator, monkeypatch):
    monkeypatch.setattr("meis.payments.services.files.PARALLEL_FROM", 0)
    monkeypatch.setattr("meis.payments.services.files.PART_FROM", 0)  # and each in parts
    files = payment_files_write(run=approved, actor=administrator)
    assert sum(f.control_sum_qepik for f in files) == 123_056
    assert all(len(f.sha256) == 64 for f in files)


def test_the_database_writes_each_transaction_as_python_would(administrator, second_administrator):
    """On PostgreSQL the lines come from one COPY; they must be the bytes `_line` writes, odd
    characters in names included (escaped, or as character references)."""
    names = ["Məmmədov & <Oğlu>", "Back\\slash", "Tab\there", "Line\nbreak", "Ə" * 80]
    for number, name in enumerate(names, start=1):
        person = person_make(last_name=name, first_name="Əli", patronymic="")
        payment_account_set(
            person=person, iban=iban("AIIB", number), actor=administrator, reason=""
        )
        granted(person, AwardKind.OLD_AGE_PENSION, datetime.date(2025, 1, 1), amount_qepik=10_005)
    run = payroll_approve(
        run=payroll_compute(month=MARCH, actor=administrator), actor=second_administrator
    )
    (written,) = payment_files_write(run=run, actor=administrator)

    lines = (files_dir(run) / written.file_name).read_bytes().splitlines(keepends=True)[2:-1]
    expected = [
        _line(run, written.bank.bic, (i.pk, 10_005, iban_of(i), i.kind, *names_of(i)))
        for i in PayrollItem.objects.filter(run=run)
        .select_related("account", "person")
        .order_by("pk")
    ]
    assert lines == expected
    assert b"&#92;" in lines[1]
    assert b"&#9;" in lines[2]
    assert b"&#10;" in lines[3]


def iban_of(item) -> str:
    assert item.account is not None
    return str(item.account.iban)


def names_of(item):
    return item.person.last_name, item.person.first_name, item.person.patronymic
