"""The payment files of an approved run: one ISO 20022 `pain.001.001.03` per bank, validated.

    files = payment_files_write(run=run, actor=admin)   # approved → released

Each file is a credit-transfer initiation from the ministry's treasury account (`DEBTOR_*`
below: a synthetic IBAN until the real one is configured) with one payment-information block of
every item due at that bank; the group header and the block carry the number of transactions
and the control sum. On PostgreSQL the database writes each transaction's line itself and
streams them all by one COPY, bank after bank, the largest bank first (`_LINES_SQL`; Python
writes the same bytes elsewhere, `_line`), so memory stays flat at millions of items. Each file
is then read back with the official schema (`schemas/pain.001.001.03.xsd`, published freely by
ISO 20022) and its transactions re-added (`meis.payments.pain001`) — in worker processes while
the next bank's file is written, for a large run: a file that does not validate, or whose
amounts do not add up to its control sum, is refused and nothing is released.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.audit.services import audit_record
from meis.payments import pain001
from meis.payments.models import Bank, PaymentFile, PayrollRun, RunState
from meis.payments.services.errors import PaymentError
from meis.payments.services.payroll import WORK_MEM

Actor = User | AnonymousUser | None
T = TypeVar("T")
NAMESPACE = pain001.NAMESPACE
schema = pain001.schema
# From this many items, files are checked in worker processes while the next one is written.
PARALLEL_FROM = 50_000
# From this many transactions, a file is checked in parts by all the workers at once.
PART_FROM = 200_000
# The State Treasury's account the ministry pays from; a synthetic IBAN until configured.
DEBTOR_NAME = "Azərbaycan Respublikası Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi"
DEBTOR_IBAN = "AZ96CTRE00000000000002345678"
DEBTOR_BIC = "CTREAZ22"
# What an item sends to the bank (the EndToEndId's payment): the month's amount and arrears,
# less what is withheld to recover an earlier overpayment.
SENT_SQL = "i.amount_qepik + i.arrears_qepik - i.recovered_qepik"

_ROWS_SQL = f"""
SELECT i.id, {SENT_SQL}, acc.iban, i.kind, p.last_name, p.first_name, p.patronymic
FROM payments_payrollitem i
JOIN payments_paymentaccount acc ON acc.id = i.account_id
JOIN registry_person p ON p.id = i.person_id
WHERE i.run_id = %s AND i.status = 'due'
ORDER BY {{rank}}, i.id
"""  # noqa: S608 — SENT_SQL is a constant
_NAME_SQL = (
    "concat_ws(' ', NULLIF(p.last_name, ''), NULLIF(p.first_name, ''), NULLIF(p.patronymic, ''))"
)
# The transactions' lines, written by PostgreSQL as `_line` writes them (COPY's text format
# adds only the line break: `_xml_text` leaves it nothing to escape). The rows are sorted before
# they are worded: sorting the 360-byte lines spilled 650 MB to disk at 10 M people.
_LINES_SQL = f"""COPY (
SELECT '<CdtTrfTxInf><PmtId><EndToEndId>' || %(id_prefix)s || s.id
    || '</EndToEndId></PmtId><Amt><InstdAmt Ccy="AZN">' || s.sent / 100 || '.'
    || lpad(mod(s.sent, 100)::text, 2, '0')
    || '</InstdAmt></Amt><CdtrAgt><FinInstnId><BIC>' || s.bic
    || '</BIC></FinInstnId></CdtrAgt><Cdtr><Nm>' || {{name}}
    || '</Nm></Cdtr><CdtrAcct><Id><IBAN>' || s.iban
    || '</IBAN></Id></CdtrAcct><RmtInf><Ustrd>' || s.kind || %(label)s
    || '</Ustrd></RmtInf></CdtTrfTxInf>'
FROM (
    SELECT {{rank}} AS rank, i.id, {SENT_SQL} AS sent, b.bic, acc.iban, i.kind,
           {_NAME_SQL} AS name
    FROM payments_payrollitem i
    JOIN payments_paymentaccount acc ON acc.id = i.account_id
    JOIN payments_bank b ON b.id = acc.bank_id
    JOIN registry_person p ON p.id = i.person_id
    WHERE i.run_id = %(run)s AND i.status = 'due'
    ORDER BY 1, 2
) s
ORDER BY s.rank, s.id
) TO STDOUT"""  # noqa: S608 — constants and integers only
_TOTALS_SQL = f"""
SELECT acc.bank_id, COUNT(*), SUM({SENT_SQL})
FROM payments_payrollitem i JOIN payments_paymentaccount acc ON acc.id = i.account_id
WHERE i.run_id = %s AND i.status = 'due' GROUP BY acc.bank_id
"""  # noqa: S608 — SENT_SQL is a constant


@dataclass(frozen=True)
class Totals:
    count: int
    sum_qepik: int


def money(qepik: int) -> str:
    return f"{qepik // 100}.{qepik % 100:02d}"


def files_dir(run: PayrollRun) -> Path:
    return Path(settings.MEDIA_ROOT) / "payments" / f"{run.month:%Y-%m}"


def payment_files_write(*, run: PayrollRun, actor: Actor = None) -> list[PaymentFile]:
    """Write, validate and record one file per bank of an approved run; the run is released."""
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().get(pk=run.pk)
        if run.state == RunState.COMPUTED:
            raise PaymentError(
                _(
                    "The payroll of %(month)s is not approved yet: a second administrator must "
                    "approve it before its files are written."
                )
                % {"month": f"{run.month:%m.%Y}"},
                code="not_approved",
            )
        if run.state == RunState.RELEASED:
            raise PaymentError(
                _("The files of the payroll of %(month)s are already written and released.")
                % {"month": f"{run.month:%m.%Y}"},
                code="already_released",
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'; SET LOCAL jit = off")
        totals = _totals(run)
        banks = Bank.objects.in_bulk(list(totals))
        directory = files_dir(run)
        directory.mkdir(parents=True, exist_ok=True)
        written: list[tuple[Bank, Totals, Path, list[Future[pain001.Part | None]]]] = []
        # The largest file first: its check, the longest, runs while the others are written.
        order = sorted(totals, key=lambda bank_id: (-totals[bank_id].count, bank_id))
        items = sum(t.count for t in totals.values())
        with _checker(items) as checker:
            for bank_id, lines in _lines_by_bank(run, order, totals, banks):
                bank, expected = banks[bank_id], totals[bank_id]
                path = directory / f"pain001-{run.month:%Y-%m}-{bank.iban_code}.xml"
                _write(path, run=run, bank=bank, totals=expected, lines=lines)
                # A large file is checked in parts, one a worker, so that no one file's check
                # waits for a single processor.
                parts = _workers() if items >= PARALLEL_FROM and expected.count >= PART_FROM else 1
                checks = [
                    checker.submit(pain001.check_part, str(path), part, parts)
                    for part in range(parts)
                ]
                written.append((bank, expected, path, checks))
            files = [
                _recorded(
                    run,
                    bank,
                    expected,
                    path,
                    pain001.combine(str(path), [check.result() for check in checks]),
                )
                for bank, expected, path, checks in written
            ]
        run.state, run.released_at = RunState.RELEASED, timezone.now()
        run.save(update_fields=["state", "released_at"])
        audit_record(
            action="payments.files_write",
            actor=user,
            actor_role="administrator" if user else "system",
            obj=run,
            purpose="Payment files of a monthly payroll written and released",
            details={"files": [(f.file_name, f.item_count, f.control_sum_qepik) for f in files]},
        )
    return files


class _Inline(Executor):
    """Checks in this process: small runs, where starting a worker costs more than it saves."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _checker(items: int) -> Executor:
    """Check each file in a worker while the next bank's file is written (from PARALLEL_FROM
    items). One worker a processor: the largest file, written first, is checked in one while
    the others' checks share the rest (and all of them once the writing is done)."""
    if items < PARALLEL_FROM:
        return _Inline()
    return ProcessPoolExecutor(max_workers=_workers(), mp_context=get_context("spawn"))


def _workers() -> int:
    return max(1, os.cpu_count() or 2)


def _recorded(
    run: PayrollRun, bank: Bank, expected: Totals, path: Path, checked: pain001.Checked
) -> PaymentFile:
    if checked.error:
        raise PaymentError(
            _("A payment file does not follow the pain.001.001.03 schema: %(error)s")
            % {"error": checked.error},
            code="schema",
        )
    if not checked.headers_agree or Totals(checked.count, checked.sum_qepik) != expected:
        raise PaymentError(
            _("The file for %(bank)s does not add up to its control sum; nothing sent.")
            % {"bank": bank.name},
            code="control_sum",
        )
    return PaymentFile.objects.create(
        run=run,
        bank=bank,
        file_name=path.name,
        sha256=checked.sha256,
        control_sum_qepik=expected.sum_qepik,
        item_count=expected.count,
    )


def _totals(run: PayrollRun) -> dict[int, Totals]:
    with connection.cursor() as cursor:
        cursor.execute(_TOTALS_SQL, [run.pk])
        return {int(b): Totals(int(n), int(s)) for b, n, s in cursor.fetchall()}


def _lines_by_bank(
    run: PayrollRun, order: list[int], totals: dict[int, Totals], banks: dict[int, Bank]
) -> Iterator[tuple[int, Iterator[bytes]]]:
    """Each bank's transactions as lines of the file, bank after bank in `order`.

    On PostgreSQL the database writes the lines itself and streams them by one COPY (no row
    reaches Python as values: a third of the files' CPU time before); elsewhere Python formats
    the same bytes (`_line`)."""
    if not order:  # nothing due: no file
        return
    if connection.vendor == "postgresql":
        yield from _copied_lines(run, order, totals)
        return
    with connection.cursor() as cursor:
        cursor.execute(_ROWS_SQL.format(rank=_rank(order)), [run.pk])
        rows = iter(cursor.fetchall())
    for bank_id in order:
        bic = banks[bank_id].bic
        yield bank_id, (_line(run, bic, row) for row in islice(rows, totals[bank_id].count))


def _copied_lines(
    run: PayrollRun, order: list[int], totals: dict[int, Totals]
) -> Iterator[tuple[int, Iterator[bytes]]]:
    params = {"run": run.pk, "id_prefix": f"{run.month:%Y%m}-", "label": f" {run.month:%m.%Y}"}
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            _LINES_SQL.format(rank=_rank(order), name=_xml_text("s.name", 70)), params
        ) as copy,
    ):
        lines = (bytes(line) for line in copy)
        for bank_id in order:
            yield bank_id, islice(lines, totals[bank_id].count)
        for _rest in lines:  # none: the totals were counted in this transaction
            raise PaymentError(_("More payments than counted; nothing sent."), code="control_sum")


def _rank(order: list[int]) -> str:
    """The banks' order as an SQL expression (their ids are integers from the database)."""
    whens = " ".join(f"WHEN {int(bank_id)} THEN {rank}" for rank, bank_id in enumerate(order))
    return f"CASE acc.bank_id {whens} END"


def _xml_text(expression: str, limit: int) -> str:
    """SQL for `_text`: the first `limit` characters, XML-escaped; a backslash, tab or line
    break as a character reference (COPY's text format would escape them otherwise)."""
    escaped = f"left({expression}, {limit})"
    for char, entity in _ENTITIES:
        escaped = f"replace({escaped}, {char}, '{entity}')"
    return escaped


_ENTITIES = (
    ("'&'", "&amp;"),
    ("'<'", "&lt;"),
    ("'>'", "&gt;"),
    ("E'\\\\'", "&#92;"),
    ("E'\\t'", "&#9;"),
    ("E'\\n'", "&#10;"),
    ("E'\\r'", "&#13;"),
)
_PY_ENTITIES = {"\\": "&#92;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


def _text(value: str, limit: int) -> str:
    return escape(value[:limit], _PY_ENTITIES)


def _line(run: PayrollRun, bic: str, row: tuple[Any, ...]) -> bytes:
    """One transaction, as the database writes it in `_LINES_SQL`."""
    item_id, qepik, iban, kind, last, first, patronymic = row
    name = " ".join(part for part in (last, first, patronymic) if part)
    return (
        f"<CdtTrfTxInf><PmtId><EndToEndId>{run.month:%Y%m}-{item_id}</EndToEndId></PmtId>"
        f'<Amt><InstdAmt Ccy="AZN">{money(qepik)}</InstdAmt></Amt>'
        f"<CdtrAgt><FinInstnId><BIC>{bic}</BIC></FinInstnId></CdtrAgt>"
        f"<Cdtr><Nm>{_text(name, 70)}</Nm></Cdtr><CdtrAcct><Id><IBAN>{iban}</IBAN></Id>"
        f"</CdtrAcct><RmtInf><Ustrd>{kind} {run.month:%m.%Y}</Ustrd></RmtInf></CdtTrfTxInf>\n"
    ).encode()


def _write(
    path: Path, *, run: PayrollRun, bank: Bank, totals: Totals, lines: Iterator[bytes]
) -> None:
    created = timezone.now().replace(microsecond=0, tzinfo=None).isoformat()
    ident = f"MEIS-{run.month:%Y%m}-{bank.iban_code}-{run.pk}"
    execution = run.month.isoformat()
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NAMESPACE}">'
        f"<CstmrCdtTrfInitn><GrpHdr><MsgId>{ident}</MsgId><CreDtTm>{created}</CreDtTm>"
        f"<NbOfTxs>{totals.count}</NbOfTxs><CtrlSum>{money(totals.sum_qepik)}</CtrlSum>"
        f"<InitgPty><Nm>{_text(DEBTOR_NAME, 70)}</Nm></InitgPty></GrpHdr>"
        f"<PmtInf><PmtInfId>{ident}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>"
        f"<NbOfTxs>{totals.count}</NbOfTxs><CtrlSum>{money(totals.sum_qepik)}</CtrlSum>"
        f"<PmtTpInf><CtgyPurp><Cd>SSBE</Cd></CtgyPurp></PmtTpInf>"
        f"<ReqdExctnDt>{execution}</ReqdExctnDt><Dbtr><Nm>{_text(DEBTOR_NAME, 70)}</Nm></Dbtr>"
        f"<DbtrAcct><Id><IBAN>{DEBTOR_IBAN}</IBAN></Id><Ccy>AZN</Ccy></DbtrAcct>"
        f"<DbtrAgt><FinInstnId><BIC>{DEBTOR_BIC}</BIC></FinInstnId></DbtrAgt>"
        f"<ChrgBr>DEBT</ChrgBr>\n"
    )
    with path.open("wb") as out:
        out.write(head.encode())
        out.writelines(lines)
        out.write(b"</PmtInf></CstmrCdtTrfInitn></Document>\n")


def file_check(path: Path) -> Totals:
    """Validate a written file and add it up; `PaymentError` when it breaks the schema, and
    `Totals(-1, -1)` when its headers disagree with its transactions."""
    checked = pain001.check(str(path))
    if checked.error:
        raise PaymentError(
            _("A payment file does not follow the pain.001.001.03 schema: %(error)s")
            % {"error": checked.error},
            code="schema",
        )
    if not checked.headers_agree:
        return Totals(-1, -1)
    return Totals(checked.count, checked.sum_qepik)
