"""Bulk notification by file: a representative uploads a CSV or an Excel workbook of hires,
confirms it with a one-time code, reads what was registered and downloads the error report.
Files that are not what they claim — wrong columns, formulas, macros, NUL bytes, too many rows —
are refused with a sentence and register nothing."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from meis.accounts.models import BindingGrantor
from meis.accounts.services import citizen_account_get_or_create
from meis.labour import bulk
from meis.labour.bulk import FILE_COLUMNS
from meis.labour.models import Assurance, BatchMode, Contract, NotificationBatch
from meis.labour.services import representative_bind
from meis.labour.tests.factories import EmployerFactory
from meis.labour.validation import FIELDS
from meis.notifications.models import Message
from meis.registry.models import Employer, Person
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
BAKU = ZoneInfo("Asia/Baku")


@pytest.fixture(autouse=True)
def _friday_13_march_2020() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2020, 3, 13, 10, tzinfo=BAKU), tick=False):
        yield


@pytest.fixture
def employer() -> Employer:
    return EmployerFactory.create(name="Xəzər Tikinti MMC")


@pytest.fixture
def representative(employer: Employer) -> Person:
    person = PersonFactory.create()
    representative_bind(
        employer=employer,
        person=person,
        actor=AnonymousUser(),
        granted_as=BindingGrantor.ADMINISTRATOR,
    )
    return person


@pytest.fixture
def client_rep(representative: Person) -> Client:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=representative))
    return client


def url(name: str, employer: Employer, **kwargs: Any) -> str:
    return reverse(f"employers:{name}", kwargs={"voen": employer.voen, **kwargs})


def row(fin: str, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "employee_fin": fin,
        "occupation_code": "2512",
        "position": "Proqramçı",
        "workplace": "Bakı ofisi",
        "monthly_wage_azn": "1500.00",
        "weekly_hours": "40",
        "term": "indefinite",
        "fixed_end_on": "",
        "probation_months": "0",
        "concluded_on": "2020-03-13",
        "start_on": "2020-03-16",
        "is_main_job": "yes",
    }
    values.update(changes)
    return values


def fields_of(values: dict[str, object]) -> dict[str, object]:
    """A file row keyed by the notification's fields (the wage column is named for manats)."""
    return {"monthly_wage_qepik" if k == "monthly_wage_azn" else k: v for k, v in values.items()}


def csv_file(
    rows: Sequence[dict[str, object]], *, delimiter: str = ",", bom: bool = False
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(FILE_COLUMNS)
    for values in rows:
        writer.writerow([values[f] for f in FILE_COLUMNS])
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_file(rows: Sequence[dict[str, object]], *, header: Sequence[str] = FILE_COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for values in rows:
        sheet.append([values.get(f) for f in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def last_code(person: Person) -> str:
    message = Message.objects.filter(person=person, event="one_time_code").latest("pk")
    found = re.search(r"\b(\d{6})\b", message.body_text)
    assert found is not None
    return found.group(1)


def upload_and_confirm(
    client: Client, employer: Employer, person: Person, name: str, content: bytes, mode: str
) -> Any:
    response = client.post(
        url("upload", employer), {"file": SimpleUploadedFile(name, content), "mode": mode}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == url("upload_confirm", employer)
    challenge = client.session["meis_employer_confirmation"]["challenge_id"]
    return client.post(
        url("upload_confirm", employer), {"code": last_code(person), "challenge": challenge}
    )


def report_rows(client: Client, employer: Employer, batch: NotificationBatch) -> list[list[str]]:
    response = client.get(url("upload_report", employer, batch_id=batch.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- Files that register ----------------------------------------------------------------------


def test_a_csv_of_good_rows_registers_every_contract_after_the_code(
    client_rep: Client, employer: Employer, representative: Person
) -> None:
    workers = PersonFactory.create_batch(3)
    content = csv_file([row(w.fin) for w in workers], delimiter=";", bom=True)

    response = upload_and_confirm(
        client_rep, employer, representative, "hires.csv", content, BatchMode.ALL_OR_NOTHING
    )

    batch = NotificationBatch.objects.get(employer=employer)
    assert response["Location"] == url("upload_result", employer, batch_id=batch.pk)
    assert (batch.rows, batch.registered, batch.refused) == (3, 3, 0)
    assert Contract.objects.filter(employer=employer).count() == 3
    version = Contract.objects.filter(employer=employer).first().versions.get()  # type: ignore[union-attr]
    assert version.assurance == Assurance.ONE_TIME_CODE
    assert Message.objects.filter(event="contract_registered", channel="portal").count() == 3
    page = client_rep.get(response["Location"]).content.decode()
    assert 'id="registered">3<' in page


def test_an_excel_workbook_with_date_and_number_cells_registers(
    client_rep: Client, employer: Employer, representative: Person
) -> None:
    worker = PersonFactory.create()
    cells = row(
        worker.fin,
        monthly_wage_azn=1500.1,
        weekly_hours=40,
        start_on=datetime.date(2020, 3, 16),
        concluded_on=datetime.datetime(2020, 3, 13),
        term="müddətsiz",
        is_main_job="bəli",
        fixed_end_on=None,
        probation_months=None,
    )

    upload_and_confirm(
        client_rep, employer, representative, "hires.xlsx", xlsx_file([cells]), BatchMode.ROW_BY_ROW
    )

    contract = Contract.objects.get(employer=employer)
    assert contract.monthly_wage_qepik == 150_010
    assert contract.start_on == datetime.date(2020, 3, 16)


def test_the_templates_are_downloadable_and_read_back_without_column_problems(
    client_rep: Client, employer: Employer
) -> None:
    for kind in ("csv", "xlsx"):
        response = client_rep.get(url("upload_template", employer, kind=kind))
        assert response.status_code == 200
        read = bulk.drafts_read(name=f"template.{kind}", content=response.content)
        assert not read.is_unreadable
        assert read.total_rows == 1
    assert client_rep.get(url("upload_template", employer, kind="exe")).status_code == 404


# --- A thousand rows, twenty of them wrong ------------------------------------------------


def thousand_rows_twenty_bad() -> tuple[bytes, set[tuple[int, str]]]:
    workers = PersonFactory.create_batch(1000)
    rows = [row(w.fin) for w in workers]
    expected: set[tuple[int, str]] = set()
    spoilers = [
        ("employee_fin", "AAAA"),  # malformed FİN (checked by the register)
        ("monthly_wage_azn", "10.00"),  # below the minimum wage
        ("start_on", "31.02.2020"),  # no such day (read problem)
        ("term", "forever"),  # read problem
    ]
    for n in range(20):
        index = 7 + n * 49
        name, value = spoilers[n % len(spoilers)]
        rows[index][name] = value
        expected.add((index + 2, name))  # the header is row 1
    return csv_file(rows), expected


@pytest.mark.parametrize(
    ("mode", "registered"), [(BatchMode.ALL_OR_NOTHING, 0), (BatchMode.ROW_BY_ROW, 980)]
)
def test_a_thousand_rows_with_twenty_bad_reports_exactly_those_twenty(
    client_rep: Client, employer: Employer, representative: Person, mode: str, registered: int
) -> None:
    content, expected = thousand_rows_twenty_bad()

    upload_and_confirm(client_rep, employer, representative, "hires.csv", content, mode)

    batch = NotificationBatch.objects.get(employer=employer)
    assert (batch.rows, batch.registered, batch.refused) == (1000, registered, 1000 - registered)
    assert Contract.objects.filter(employer=employer).count() == registered
    assert {(p["row"], p["field"]) for p in batch.problems} == expected
    report = report_rows(client_rep, employer, batch)
    assert len(report[0]) == 4  # row, field, code, reason — in the page's language
    assert {(int(r[0]), r[1]) for r in report[1:]} == expected
    page = client_rep.get(url("upload_result", employer, batch_id=batch.pk)).content.decode()
    assert "errors.csv" in page


# --- Files refused as a whole -----------------------------------------------------------------


def refused_upload(client: Client, employer: Employer, name: str, content: bytes) -> str:
    response = client.post(
        url("upload", employer),
        {"file": SimpleUploadedFile(name, content), "mode": BatchMode.ROW_BY_ROW},
    )
    assert response.status_code == 400
    assert not Message.objects.filter(event="one_time_code").exists()
    assert not NotificationBatch.objects.exists()
    return response.content.decode()


def test_a_file_with_wrong_columns_is_refused_naming_them(
    client_rep: Client, employer: Employer
) -> None:
    header = [f for f in FIELDS if f != "workplace"] + ["salary"]
    page = refused_upload(client_rep, employer, "hires.xlsx", xlsx_file([], header=header))
    assert "workplace" in page
    assert "salary" in page
    assert 'href="#id_file"' in page


def test_a_formula_cell_is_refused_with_its_row_and_column(employer: Employer) -> None:
    worker = PersonFactory.create()
    content = xlsx_file([row(worker.fin, monthly_wage_azn="=1000+500")])

    read = bulk.drafts_read(name="hires.xlsx", content=content)

    assert [(p.row, p.field, p.code) for p in read.problems] == [(2, "monthly_wage_azn", "formula")]
    assert read.drafts == []


def test_a_workbook_with_macros_is_refused_whatever_its_name(
    client_rep: Client, employer: Employer
) -> None:
    buffer = io.BytesIO(xlsx_file([row(PersonFactory.create().fin)]))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    page = refused_upload(client_rep, employer, "hires.xlsx", buffer.getvalue())
    assert "makros" in page  # the page is in Azerbaijani
    assert bulk.drafts_read(name="hires.xlsm", content=b"PK").problems[0].code == "macros"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("hires.csv", b"employee_fin\x00,x\n", "nul_bytes"),
        ("hires.csv", "employee_fin;ş".encode("cp1254"), "not_utf8"),
        ("hires.csv", b"", "file_empty"),
        ("hires.xlsx", b"%PDF-1.4 not a workbook", "not_spreadsheet"),
        ("hires.xlsx", b"PK\x03\x04garbage", "not_spreadsheet"),
        ("hires.pdf", b"%PDF-1.4", "file_type"),
    ],
)
def test_a_file_that_is_not_a_readable_sheet_is_refused_in_words(
    client_rep: Client, employer: Employer, name: str, content: bytes, code: str
) -> None:
    read = bulk.drafts_read(name=name, content=content)
    assert [p.code for p in read.problems] == [code]
    assert read.is_unreadable
    refused_upload(client_rep, employer, name, content or b" ")


def test_a_zip_that_unpacks_to_gigabytes_is_refused(
    employer: Employer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "MAX_UNPACKED_BYTES", 1000)
    read = bulk.drafts_read(name="hires.xlsx", content=xlsx_file([row("5ZJBKQG")]))
    assert [p.code for p in read.problems] == ["file_too_large"]


def test_too_many_rows_are_refused_and_nothing_is_registered(
    client_rep: Client, employer: Employer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "MAX_ROWS", 5)
    content = csv_file([row(p.fin) for p in PersonFactory.create_batch(6)])
    page = refused_upload(client_rep, employer, "hires.csv", content)
    assert "5" in page
    assert not Contract.objects.exists()


def test_a_file_over_the_size_limit_is_refused(
    client_rep: Client, employer: Employer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "MAX_BYTES", 100)
    refused_upload(client_rep, employer, "hires.csv", csv_file([row("5ZJBKQG")]))


def test_cells_are_read_exactly_or_refused_precisely() -> None:
    cells = fields_of(
        row("5ZJBKQG", monthly_wage_azn="1 500,25", start_on="16.03.2020", is_main_job="xeyr")
    )
    draft, problems = bulk.draft_from_cells(cells, row=2)
    assert problems == []
    assert draft is not None
    assert (draft.monthly_wage_qepik, draft.start_on, draft.is_main_job) == (
        150_025,
        datetime.date(2020, 3, 16),
        False,
    )
    _, problems = bulk.draft_from_cells(
        fields_of(
            row("5ZJBKQG", monthly_wage_azn=1500.123, weekly_hours="forty", is_main_job="maybe")
        ),
        row=9,
    )
    assert [(p.row, p.field, p.code) for p in problems] == [
        (9, "monthly_wage_qepik", "wage_too_precise"),
        (9, "weekly_hours", "integer_invalid"),
        (9, "is_main_job", "yes_no_invalid"),
    ]


# --- Who may see what -------------------------------------------------------------------------


def test_another_employers_batch_report_is_not_found(
    client_rep: Client, employer: Employer
) -> None:
    other = EmployerFactory.create()
    theirs = NotificationBatch.objects.create(
        employer=other, mode=BatchMode.ROW_BY_ROW, problems=[{"row": 2, "field": "x"}]
    )
    assert client_rep.get(url("upload_report", employer, batch_id=theirs.pk)).status_code == 404
    assert client_rep.get(url("upload_result", employer, batch_id=theirs.pk)).status_code == 404
    assert client_rep.get(url("upload_report", other, batch_id=theirs.pk)).status_code == 404
    assert client_rep.get(url("upload", other)).status_code == 404


def test_a_citizen_who_represents_no_one_cannot_upload(citizen: Person, employer: Employer) -> None:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=citizen))
    assert client.get(url("upload", employer)).status_code == 404


def test_the_employer_home_links_to_the_upload(client_rep: Client, employer: Employer) -> None:
    home = client_rep.get(url("home", employer)).content.decode()
    assert url("upload", employer) in home
    page = client_rep.get(url("upload", employer)).content.decode()
    assert 'type="file"' in page
    assert url("upload_template", employer, kind="xlsx") in page
