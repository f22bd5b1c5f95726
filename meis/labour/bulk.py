"""Toplu bildiriş: notifications of conclusion uploaded as a CSV or XLSX file.

`drafts_read` turns a file into drafts and the problems of its cells, never trusting the file:
its size, its number of rows, its encoding, NUL bytes, a zip that is not a workbook (or a zip
bomb), macros and formulas are refused with a sentence that says what to do. The header must be
exactly the columns of `meis.labour.validation.FIELDS`, in any order. Rows are numbered as the
employer sees them in the file (the header is row 1).

`upload_register` then registers what was read through the register's `conclusions_register`
(the same checks, writes, audit and messages as every channel). A row whose cells could not be
read is never registered; in all-or-nothing mode such a row stops the whole file, in row-by-row
mode the other valid rows are registered. Either way the batch keeps every problem (reading and
checking) for the error report.

Money is read exactly: "1500.00", "1500,00" or a numeric cell become integer qəpik through
`Decimal` (a spreadsheet's number is a float: it goes through `Decimal(str(value))`, so 1500.1
is 150 010 qəpik, and more than two decimals are refused rather than rounded).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.roles import Role
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.labour.models import BatchMode, ContractTerm, NotificationBatch
from meis.labour.services import Actor, Registered, conclusions_register
from meis.labour.validation import FIELDS, ContractDraft, Problem, conclusions_check
from meis.registry.models import Employer

MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024
# A workbook's parts, uncompressed: a 20 MB upload that unpacks to more is a zip bomb.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_TEXT = 255
# The largest monthly wage read (a typo guard, as in the form: 10 million manats).
WAGE_LIMIT_QEPIK = 10_000_000 * 100
FILE_FIELD = "file"
HEADER_FIELD = "header"

TERMS = {
    "indefinite": ContractTerm.INDEFINITE.value,
    "müddətsiz": ContractTerm.INDEFINITE.value,
    "fixed": ContractTerm.FIXED.value,
    "müddətli": ContractTerm.FIXED.value,
}
YES = {"yes", "true", "1", "bəli", "hə"}
NO = {"no", "false", "0", "xeyr", "yox"}
REQUIRED = {
    "employee_fin",
    "occupation_code",
    "position",
    "workplace",
    "monthly_wage_qepik",
    "weekly_hours",
    "term",
    "concluded_on",
    "start_on",
    "is_main_job",
}
# A file states the wage in manats ("1500.00"), so its column says so; inside, it is qəpik.
FILE_NAMES = {"monthly_wage_qepik": "monthly_wage_azn"}
FILE_COLUMNS = tuple(FILE_NAMES.get(f, f) for f in FIELDS)
_FIELD_OF_COLUMN = {column: f for f, column in FILE_NAMES.items()}


def file_column(field_name: str) -> str:
    """The file's column for a field of a notification (the same name but for the wage)."""
    return FILE_NAMES.get(field_name, field_name)


EXAMPLE_ROW = {
    "employee_fin": "5ZJBKQG",
    "occupation_code": "2512",
    "position": "Proqramçı",
    "workplace": "Bakı ofisi",
    "monthly_wage_qepik": "1500.00",
    "weekly_hours": "40",
    "term": "indefinite",
    "fixed_end_on": "",
    "probation_months": "3",
    "concluded_on": "2026-03-13",
    "start_on": "2026-03-16",
    "is_main_job": "yes",
}


@dataclass
class ReadResult:
    """What a file held: the drafts that could be read (with their rows in the file) and the
    problems of everything else. A problem of the file itself (row 0 or the header) means
    nothing was read at all."""

    drafts: list[ContractDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the file row of each draft
    total_rows: int = 0  # data rows, read or not

    @property
    def is_unreadable(self) -> bool:
        return any(p.field in {FILE_FIELD, HEADER_FIELD} for p in self.problems)


def _file_problem(code: str, message: str, row: int = 0) -> ReadResult:
    return ReadResult(problems=[Problem(row, FILE_FIELD, code, message)])


def drafts_read(*, name: str, content: bytes) -> ReadResult:
    """Read a CSV or XLSX file of notifications of conclusion (see the module's docstring)."""
    lowered = name.lower()
    if len(content) > MAX_BYTES:
        return _file_problem(
            "file_too_large",
            _("The file is larger than %(megabytes)s MB. Split it into smaller files.")
            % {"megabytes": MAX_BYTES // (1024 * 1024)},
        )
    if not content.strip():
        return _file_problem("file_empty", _("The file is empty. Fill in the template."))
    if lowered.endswith((".xlsm", ".xltm", ".xlsb", ".xls")):
        return _file_problem(
            "macros",
            _(
                "Files with macros and old Excel files are not accepted. Save the sheet as "
                "an Excel workbook (.xlsx) or as CSV."
            ),
        )
    if lowered.endswith(".xlsx"):
        return _rows_read(_xlsx_rows(content))
    if lowered.endswith(".csv"):
        return _rows_read(_csv_rows(content))
    return _file_problem("file_type", _("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."))


class _Unreadable(Exception):
    def __init__(self, code: str, message: str, row: int = 0) -> None:
        super().__init__(message)
        self.problem = Problem(row, FILE_FIELD, code, message)


# A row as read: its number in the file and its cells (values, or _Formula for a formula).
RowCells = tuple[int, list[object]]


class _Formula:
    pass


FORMULA = _Formula()


def _csv_rows(content: bytes) -> Iterator[RowCells]:
    if b"\x00" in content:
        raise _Unreadable(
            "nul_bytes",
            _(
                "The file contains NUL characters, so it is not a text (CSV) file. Save the "
                "sheet again as “CSV UTF-8”."
            ),
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Unreadable(
            "not_utf8",
            _(
                "The file is not in UTF-8 (near byte %(position)s). Save it as “CSV UTF-8” "
                "so that Azerbaijani letters are kept."
            )
            % {"position": error.start + 1},
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)
    except csv.Error:
        raise _Unreadable(
            "csv_invalid",
            _("Row %(row)s cannot be read as CSV (check its quotation marks).")
            % {"row": number + 1},
            row=number + 1,
        ) from None


def _xlsx_rows(content: bytes) -> Iterator[RowCells]:
    from openpyxl import load_workbook  # only the uploads need it

    _zip_check(content)
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, keep_links=False
        )
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a broken workbook
        raise _not_a_workbook() from None
    try:
        if not workbook.worksheets:
            raise _not_a_workbook()
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(), start=1):
            yield (
                number,
                [
                    FORMULA if getattr(cell, "data_type", None) == "f" else cell.value
                    for cell in row
                ],
            )
    except _Unreadable:
        raise
    except Exception:  # noqa: BLE001 — a part that breaks only when read
        raise _not_a_workbook() from None
    finally:
        workbook.close()


def _not_a_workbook() -> _Unreadable:
    return _Unreadable(
        "not_spreadsheet",
        _("The file is not an Excel workbook (.xlsx). Download the template and fill it in."),
    )


def _zip_check(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_a_workbook() from None
    names = {part.filename.lower() for part in parts}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise _Unreadable(
            "macros",
            _(
                "The workbook contains macros, which are not accepted. Save it as an Excel "
                "workbook without macros (.xlsx) or as CSV."
            ),
        )
    if "xl/workbook.xml" not in names:
        raise _not_a_workbook()
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise _Unreadable(
            "file_too_large",
            _("The workbook is too large when unpacked. Split it into smaller files."),
        )


def _rows_read(rows: Iterable[RowCells]) -> ReadResult:
    result = ReadResult()
    columns: list[str] | None = None
    try:
        for number, cells in rows:
            if columns is None:
                columns = _header([_text(c) for c in cells])
                continue
            if _is_blank(cells):
                continue
            result.total_rows += 1
            if result.total_rows > MAX_ROWS:
                return _file_problem(
                    "too_many_rows",
                    _(
                        "The file has more than %(limit)s rows. Split it into files of at most "
                        "%(limit)s rows."
                    )
                    % {"limit": f"{MAX_ROWS:,}".replace(",", " ")},
                )
            values = {
                name: (cells[i] if i < len(cells) else None) for i, name in enumerate(columns)
            }
            draft, problems = draft_from_cells(values, row=number)
            result.problems.extend(
                Problem(p.row, file_column(p.field), p.code, p.message) for p in problems
            )
            if draft is not None:
                result.drafts.append(draft)
                result.rows.append(number)
    except _Unreadable as unreadable:
        return ReadResult(problems=[unreadable.problem])
    except _HeaderWrong as wrong:
        return ReadResult(problems=[wrong.problem])
    if columns is None:
        return _file_problem("file_empty", _("The file is empty. Fill in the template."))
    if result.total_rows == 0:
        return _file_problem(
            "no_rows", _("The file has the header but no rows. Add one row per contract.")
        )
    return result


class _HeaderWrong(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _header(cells: list[str]) -> list[str]:
    names = [c.strip().lower() for c in cells]
    while names and not names[-1]:
        names.pop()
    missing = [f for f in FILE_COLUMNS if f not in names]
    extra = [n or _("(empty)") for n in names if n not in FILE_COLUMNS]
    repeated = sorted({n for n in names if n in FILE_COLUMNS and names.count(n) > 1})
    if not (missing or extra or repeated):
        return [_FIELD_OF_COLUMN.get(n, n) for n in names]
    parts = []
    if missing:
        parts.append(_("missing: %(columns)s") % {"columns": ", ".join(missing)})
    if extra:
        parts.append(_("not expected: %(columns)s") % {"columns": ", ".join(extra)})
    if repeated:
        parts.append(_("repeated: %(columns)s") % {"columns": ", ".join(repeated)})
    message = _(
        "The columns of the first row do not match the template (%(details)s). Use the "
        "template's header; nothing was registered."
    ) % {"details": "; ".join(parts)}
    raise _HeaderWrong(Problem(1, HEADER_FIELD, "columns", message))


def _is_blank(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


# --- Cells ------------------------------------------------------------------------------------


class _CellInvalid(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _text(value: object) -> str:
    if value is None or value is FORMULA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _wage(value: object) -> int:
    invalid = _CellInvalid(
        "wage_invalid",
        _("Write the monthly wage in manats as a number, for example 1500.00 or 1500,00."),
    )
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, int | float):
        text = str(value)
    else:
        text = re.sub(r"[\s\u00a0]", "", str(value)).removesuffix("AZN").removesuffix("₼")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            raise invalid
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise invalid from None
    if not amount.is_finite():
        raise invalid
    qepik = amount * 100
    if qepik != qepik.to_integral_value():
        raise _CellInvalid(
            "wage_too_precise",
            _("A wage has at most 2 decimals (qəpik), for example 1500.25."),
        )
    if not 0 <= qepik <= WAGE_LIMIT_QEPIK:
        raise _CellInvalid("wage_invalid", _("Check the monthly wage: it is too large."))
    return int(qepik)


def _whole(value: object) -> int:
    invalid = _CellInvalid("integer_invalid", _("Write a whole number, for example 40."))
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise invalid
        number = int(value)
    else:
        text = str(value).strip()
        if not re.fullmatch(r"\d{1,4}", text):
            raise invalid
        number = int(text)
    if not 0 <= number <= 10_000:
        raise invalid
    return number


def _day(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            day = datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a day
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return day
    raise _CellInvalid("date_invalid", _("Write the date as 2020-03-16 or 16.03.2020."))


def _term(value: object) -> str:
    term = TERMS.get(str(value).strip().casefold())
    if term is None:
        raise _CellInvalid(
            "term_unknown",
            _("The term is indefinite or fixed."),
        )
    return term


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise _CellInvalid("yes_no_invalid", _("Write yes or no (bəli or xeyr)."))


def _free_text(value: object) -> str:
    text = _text(value)
    if len(text) > MAX_TEXT:
        raise _CellInvalid("too_long", _("At most %(count)s characters.") % {"count": MAX_TEXT})
    return text


READERS: dict[str, Any] = {
    "employee_fin": _free_text,
    "occupation_code": _free_text,
    "position": _free_text,
    "workplace": _free_text,
    "monthly_wage_qepik": _wage,
    "weekly_hours": _whole,
    "term": _term,
    "fixed_end_on": _day,
    "probation_months": _whole,
    "concluded_on": _day,
    "start_on": _day,
    "is_main_job": _yes_no,
}
DEFAULTS: dict[str, object] = {"fixed_end_on": None, "probation_months": 0}


def draft_from_cells(
    values: Mapping[str, object], *, row: int
) -> tuple[ContractDraft | None, list[Problem]]:
    """One row's cells as a draft, or the problems of the cells that could not be read."""
    read: dict[str, object] = {}
    problems: list[Problem] = []
    for name in FIELDS:
        value = values.get(name)
        if value is FORMULA:
            problems.append(
                Problem(
                    row,
                    name,
                    "formula",
                    _("This cell holds a formula. Replace it with its value (copy, paste values)."),
                )
            )
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if name in REQUIRED:
                problems.append(Problem(row, name, "required", _("This cell is empty.")))
            else:
                read[name] = DEFAULTS[name]
            continue
        try:
            read[name] = READERS[name](value)
        except _CellInvalid as invalid:
            problems.append(Problem(row, name, invalid.code, invalid.message))
    if problems:
        return None, problems
    return ContractDraft(**read), []  # type: ignore[arg-type]


# --- Registering ----------------------------------------------------------------------------


def upload_register(
    *,
    employer: Employer,
    read: ReadResult,
    actor: Actor | None,
    assurance: str,
    mode: str,
    file_name: str = "",
    idempotency_key: str = "",
    column: Callable[[str], str] = file_column,
) -> Registered:
    """Register what `drafts_read` read, keeping the file's row numbers in every problem.

    `column` names a problem's field as the caller's input does (a file's column by default;
    the API names the fields as they are, the wage in qəpik)."""
    if idempotency_key:
        earlier = NotificationBatch.objects.filter(
            employer=employer, idempotency_key=idempotency_key
        ).exists()
        if earlier:  # the service answers with the first batch's outcome
            return conclusions_register(
                employer=employer,
                drafts=[],
                actor=actor,
                assurance=assurance,
                idempotency_key=idempotency_key,
            )
    if read.problems and mode == BatchMode.ALL_OR_NOTHING:
        return _refused_whole(employer, read, actor, assurance, file_name, idempotency_key, column)
    with transaction.atomic():
        registered = conclusions_register(
            employer=employer,
            drafts=read.drafts,
            actor=actor,
            assurance=assurance,
            mode=mode,
            file_name=file_name,
            idempotency_key=idempotency_key,
            first_row=0,
        )
        checked = [
            Problem(read.rows[p.row], p.field, p.code, p.message)
            if 0 <= p.row < len(read.rows)
            else p
            for p in registered.problems
        ]
        problems = _in_row_order([*read.problems, *checked], column)
        batch = registered.batch
        batch.rows = read.total_rows
        batch.refused = read.total_rows - batch.registered
        batch.problems = [p.as_dict() for p in problems]
        batch.save(update_fields=["rows", "refused", "problems"])
    return Registered(batch=batch, contracts=registered.contracts, problems=problems)


def _in_row_order(problems: Iterable[Problem], column: Callable[[str], str]) -> list[Problem]:
    """Sorted as the input reads, each field named by `column`."""
    return [
        Problem(p.row, column(p.field), p.code, p.message)
        for p in sorted(
            problems, key=lambda p: (p.row, FIELDS.index(p.field) if p.field in FIELDS else -1)
        )
    ]


def _refused_whole(
    employer: Employer,
    read: ReadResult,
    actor: Actor | None,
    assurance: str,
    file_name: str,
    idempotency_key: str,
    column: Callable[[str], str],
) -> Registered:
    """All or nothing, with cells that could not be read: nothing is registered, and the rows
    that were read are still checked, so the employer sees every problem of the file at once."""
    checked = conclusions_check(
        employer_id=employer.pk,
        drafts=read.drafts,
        today=timezone.localdate(),
        first_row=0,
    )
    problems = _in_row_order(
        [
            *read.problems,
            *(Problem(read.rows[p.row], p.field, p.code, p.message) for p in checked.all_problems),
        ],
        column,
    )
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        batch = NotificationBatch.objects.create(
            employer=employer,
            submitted_by=user,
            file_name=file_name[:255],
            mode=BatchMode.ALL_OR_NOTHING,
            idempotency_key=idempotency_key,
            rows=read.total_rows,
            registered=0,
            refused=read.total_rows,
            problems=[p.as_dict() for p in problems],
        )
        audit_record(
            action=AuditAction.OTHER,
            actor=user,
            actor_role=Role.EMPLOYER,
            actor_institution=employer.name,
            obj=batch,
            purpose="labour.conclusions_register",
            details={
                "employer": employer.voen,
                "rows": read.total_rows,
                "registered": 0,
                "assurance": assurance,
            },
        )
    return Registered(batch=batch, contracts=[], problems=problems)


# --- Templates and reports --------------------------------------------------------------------


def template_csv() -> bytes:
    """The upload template: the header and one example row (UTF-8 with a BOM, for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FILE_COLUMNS)
    writer.writerow([EXAMPLE_ROW[f] for f in FIELDS])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 — a new workbook has its sheet
    sheet.title = "contracts"
    sheet.append(list(FILE_COLUMNS))
    sheet.append([EXAMPLE_ROW[f] for f in FIELDS])
    for letter in "ABCDEFGHIJKL":
        sheet.column_dimensions[letter].width = 18
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def report_csv(problems: Iterable[Mapping[str, object]]) -> bytes:
    """The error report: row, field, code, reason (the reason as stored, in the language the
    batch was read in)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("row"), _("field"), _("code"), _("reason")])
    for problem in problems:
        writer.writerow(
            [
                problem.get("row", ""),
                problem.get("field", ""),
                problem.get("code", ""),
                _csv_safe(str(problem.get("message", ""))),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _csv_safe(text: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula (CSV injection)."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
