"""Benchmark: importing a bank's statement of 10,000 payments (`statement_import`) on PostgreSQL.

    .venv/bin/python bench/payroll_returns.py [--people 120000] [--items 10000] [--reuse]

Fills (or with --reuse keeps) the database `meis_bench_payroll_returns_<N>` as
`bench/payroll.py` does — the synthetic registry, about one award per four people, 97 % of the
holders with a payment account — then computes, approves and releases March 2026's payroll
(not timed). Kapital Bank's file is the statement's subject: a camt.054.001.02 statement of its
first `--items` payments, one in a hundred returned (AC04 closed account, MD07 deceased), as a
bank would send it (`meis.payments.bank_statement`). Then, in one run:

(a) `statement_import`: the safe parse, the schema validation, the checks of every entry
    against the payment sent, the outcomes written by COPY, the returned accounts held and
    their tasks, the audit event — committed;
(b) the same file again: refused (nothing counted twice);
(c) the baseline: a bare lxml parse of the same bytes plus a bare COPY of the same rows
    (end-to-end id, amount) into a temporary table — what any import costs at least.

Prints seconds, the reconciliation of the bank's file and the load average; target ≤ 5 s for
10,000 items (issue 23).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")

import django  # noqa: E402

MONTH = datetime.date(2026, 3, 1)
TARGET_SECONDS = 5.0
RETURNED_EVERY = 100


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=120_000)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database and its awards")
    args = parser.parse_args()
    name = os.environ.get("MEIS_BENCH_DB", f"meis_bench_payroll_returns_{args.people}")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    from bench._database import database_create
    from bench.award_ends import generate as awards_generate

    fresh = database_create(name, args.reuse)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from bench.payroll import accounts_write, runs_remove

    settings.MEDIA_ROOT = Path(os.environ.get("MEIS_BENCH_FILES", f"/tmp/{name}"))  # noqa: S108
    call_command("migrate", verbosity=0)
    if fresh:
        awards_generate(args.people)
        print(f"payment accounts written: {accounts_write():,}")
    else:
        print(f"reusing {name}: its payroll runs and statements are removed first")
        runs_remove()
    measure(args.items)


def measure(items: int) -> None:
    import polars as pl
    from django.db import connection, transaction
    from lxml import etree  # type: ignore[import-untyped]  # no stubs shipped

    from bench.payroll import administrators
    from meis.core import bulk
    from meis.payments.bank_statement import camt054_write, sent_payments
    from meis.payments.models import Bank
    from meis.payments.selectors import run_reconciliation
    from meis.payments.services import (
        PaymentError,
        payment_files_write,
        payroll_approve,
        payroll_compute,
        statement_import,
    )
    from meis.payments.statements import NAMESPACE, _parser

    first, second = administrators()
    started = time.perf_counter()
    run = payroll_compute(month=MONTH, actor=first)  # type: ignore[arg-type]
    run = payroll_approve(run=run, actor=second)  # type: ignore[arg-type]
    payment_files_write(run=run, actor=second)  # type: ignore[arg-type]
    run.refresh_from_db()
    print(f"payroll {MONTH:%Y-%m} released in {time.perf_counter() - started:.1f} s (not timed)")

    bank = Bank.objects.get(iban_code="AIIB")
    payments = sent_payments(run, bank)[:items]
    if len(payments) < items:
        print(f"only {len(payments):,} payments at {bank.name}: use a larger --people")
    reasons = ("AC04", "MD07")
    returned = {
        item: reasons[n % 2]
        for n, (item, _amount) in enumerate(payments[RETURNED_EVERY - 1 :: RETURNED_EVERY])
    }
    content = camt054_write(run, bank, returned=returned, payments=payments)

    started = time.perf_counter()
    statement = statement_import(
        run=run,
        content=content,
        file_name="camt054-bench.xml",
        actor=first,  # type: ignore[arg-type]
    )
    imported = time.perf_counter() - started

    started = time.perf_counter()
    try:
        statement_import(run=run, content=content, file_name="again.xml", actor=first)  # type: ignore[arg-type]
        again = "NOT refused"
    except PaymentError as error:
        again = f"refused ({error.code})"
    again_seconds = time.perf_counter() - started

    started = time.perf_counter()
    root = etree.fromstring(content, _parser())
    ns = {"c": NAMESPACE}
    rows = [
        (ntry.findtext(".//c:EndToEndId", "", ns), ntry.findtext("c:Amt", "", ns))
        for ntry in root.iterfind(".//c:Ntry", ns)
    ]
    parsed = time.perf_counter() - started
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_rows (e2e text, amount text) ON COMMIT DROP")
        started_copy = time.perf_counter()
        bulk.frame_write("bench_rows", pl.DataFrame(rows, schema=["e2e", "amount"], orient="row"))
        copied = time.perf_counter() - started_copy

    row = next(r for r in run_reconciliation(run=run) if r.bank == bank.name)
    print(
        f"\nReturns — a camt.054 statement of {len(payments):,} payments ({len(content) / 2**20:.1f} MiB), {bank.name}"
    )
    print(
        f"(a) statement_import: {imported:.2f} s — credited {statement.credited_count:,} "
        f"({statement.credited_qepik / 100:,.2f} AZN), returned {statement.returned_count:,} "
        f"({statement.returned_qepik / 100:,.2f} AZN)"
    )
    print(f"(b) the same file again: {again_seconds:.3f} s, {again}")
    print(
        f"(c) baseline: bare lxml parse {parsed:.2f} s + bare COPY of the {len(rows):,} rows "
        f"{copied:.2f} s = {parsed + copied:.2f} s"
    )
    print(
        f"bank file: sent {row.sent_count:,}, credited {row.credited_count:,}, returned "
        f"{row.returned_count:,}, not yet reported {row.unreported_count:,} "
        f"({row.difference_qepik / 100:,.2f} AZN)"
    )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"target: {TARGET_SECONDS:.0f} s for 10,000 items; load average {load}; {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
