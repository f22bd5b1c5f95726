"""Benchmark: the cost of hash-chaining audit events (ADR 0022) on PostgreSQL.

    .venv/bin/python bench/audit_chain.py [--events 5000] [--threads 4] [--verify-rows 500000]

Creates a throwaway database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/meis_bench_audit), migrates it and drops it at the end. In
the same run:

1. writing events as requests do (`audit_record`, one per transaction, from `--threads` writers
   at once) beside the design ADR 0022 rejected — each write taking the chain's lock and
   reading its head in the writer's transaction — which makes the writers take turns;
2. `audit_seal()` over `--verify-rows` events written in pages (events sealed per second);
3. `chain_verify()` over the same trail.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/meis_bench_audit"
PAGE = 50
PURPOSE = "bench: registration MEIS-2026-0000001"
T = TypeVar("T")


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>10,.0f} events/s"


def timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def bench_person() -> Any:
    from meis.registry.models import Person

    return Person.objects.create(
        fin="BENCH01",
        last_name="Həsənov",
        first_name="Əli",
        birth_on="1960-01-01",
        sex="M",
        region="baku",
        address="Bakı",
    )


def one_event(person: Any, *, locked: bool) -> None:
    """A read of one person's record in its own transaction; `locked`: as the rejected design
    wrote it, after the chain's lock and a read of its head, holding the lock until commit."""
    from django.db import connection, transaction

    from meis.audit.chain import chain_lock
    from meis.audit.models import AuditAction
    from meis.audit.services import audit_record

    with transaction.atomic():
        if locked:
            chain_lock()
            with connection.cursor() as cursor:
                cursor.execute("SELECT id FROM audit_auditevent ORDER BY id DESC LIMIT 1")
        audit_record(
            action=AuditAction.PERSON_READ,
            actor=None,
            actor_role="case_worker",
            person=person,
            obj=person,
            purpose=PURPOSE,
            details={"page": "case"},
        )


def one_page(person: Any, *, size: int = PAGE) -> None:
    """A list page's reads (`size` of them) in one transaction, one bulk insert."""
    from django.db import transaction

    from meis.audit.services import person_reads_record

    with transaction.atomic():
        person_reads_record(
            actor_role="case_worker",
            actor_institution="Bakı DOST mərkəzi 1",
            reads=[(person.pk, person)] * size,
            purpose=PURPOSE,
        )


def serial(step: Callable[[], None], times: int, per_step: int = 1) -> Callable[[], int]:
    def work() -> int:
        for _ in range(times):
            step()
        return times * per_step

    return work


def parallel(step: Callable[[], None], times: int, threads: int) -> Callable[[], int]:
    from django.db import connections

    def writer() -> None:
        for _ in range(times // threads):
            step()
        connections.close_all()

    def work() -> int:
        started = [threading.Thread(target=writer) for _ in range(threads)]
        for thread in started:
            thread.start()
        for thread in started:
            thread.join()
        return times // threads * threads

    return work


def compare(title: str, plain: Callable[[], int], locked: Callable[[], int]) -> None:
    plain()  # warm-up of both paths, not counted
    locked()
    plain_count, plain_s = timed(plain)
    locked_count, locked_s = timed(locked)
    print(f"{title:44} {rate(plain_count, plain_s):>20} {rate(locked_count, locked_s):>20}")


def seal_and_verify_speed(person: Any, rows: int) -> None:
    """A fresh trail of `rows` events, sealed by `audit_seal()`, then one `chain_verify()`."""
    from meis.audit.chain import audit_seal, chain_verify

    audit_seal()  # what the comparison wrote
    for _ in range(rows // 1000):
        one_page(person, size=1000)
    sealed, seconds = timed(audit_seal)
    print(f"{'audit_seal()':44} {sealed:>12,} events {rate(sealed, seconds):>20}")
    report, seconds = timed(chain_verify)
    if report.broken is not None or report.unsealed:
        raise SystemExit(f"the bench's own trail does not verify: {report}")
    print(f"{'chain_verify()':44} {report.events:>12,} events {rate(report.events, seconds):>20}")


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    person = bench_person()
    print(f"{'':44} {'as written now':>20} {'lock on each write':>20}")
    compare(
        "1 event per transaction",
        serial(partial(one_event, person, locked=False), args.events),
        serial(partial(one_event, person, locked=True), args.events),
    )
    compare(
        f"1 event per transaction, {args.threads} writers",
        parallel(partial(one_event, person, locked=False), args.events, args.threads),
        parallel(partial(one_event, person, locked=True), args.events, args.threads),
    )
    seal_and_verify_speed(person, args.verify_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--verify-rows", type=int, default=500_000)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meis.test_settings",
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    meis = str(Path(sys.executable).with_name("meis"))
    try:
        subprocess.run([meis, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        print(f"CPUs {os.cpu_count()}, load before {os.getloadavg()[0]:.2f}")
        run(args)
        print(f"load after {os.getloadavg()[0]:.2f}")
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
