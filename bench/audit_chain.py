"""Benchmark: the cost of hash-chaining audit events (ADR 0022) on PostgreSQL.

    .venv/bin/python bench/audit_chain.py [--events 5000] [--threads 4] [--verify-rows 500000]

Creates a throwaway database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/meis_bench_audit), migrates it and drops it at the end. In
the same run, with and without the chain (a plain INSERT of the same row, which is what every
insert cost before the chain):

1. one event per transaction, as a page read or a change writes it (`audit_record`);
2. the same from `--threads` writers at once, each in its own connection: the chain's lock
   makes them take turns, so this shows what the serialisation costs;
3. a list page of 50 reads per transaction (`person_reads_record`, one bulk insert).

Prints events/s for each, and then `chain_verify()`'s speed over a trail of `--verify-rows`
events (chained in bulk pages first).
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


def one_event(person: Any, *, chained: bool) -> None:
    """A read of one person's record in its own transaction."""
    from django.db import models, transaction

    from meis.audit.models import AuditAction, AuditEvent
    from meis.audit.services import audit_record

    with transaction.atomic():
        if chained:
            audit_record(
                action=AuditAction.PERSON_READ,
                actor=None,
                actor_role="case_worker",
                person=person,
                obj=person,
                purpose=PURPOSE,
                details={"page": "case"},
            )
            return
        event = AuditEvent(
            action=AuditAction.PERSON_READ,
            actor_role="case_worker",
            person=person,
            object_type="registry.person",
            object_id=str(person.pk),
            purpose=PURPOSE,
            details={"page": "case"},
        )
        models.Model.save(event)  # the insert as it was before the chain


def one_page(person: Any, *, chained: bool, size: int = PAGE) -> None:
    """A list page's reads (`size` of them) in one transaction, one bulk insert."""
    from django.db import models, transaction

    from meis.audit.models import AuditAction, AuditEvent
    from meis.audit.services import person_reads_record

    with transaction.atomic():
        if chained:
            person_reads_record(
                actor_role="case_worker",
                actor_institution="Bakı DOST mərkəzi 1",
                reads=[(person.pk, person)] * size,
                purpose=PURPOSE,
            )
            return
        events = [
            AuditEvent(
                action=AuditAction.PERSON_READ,
                actor_role="case_worker",
                actor_institution="Bakı DOST mərkəzi 1",
                person=person,
                object_type="registry.person",
                object_id=str(person.pk),
                purpose=PURPOSE,
            )
            for _ in range(size)
        ]
        models.QuerySet(AuditEvent).bulk_create(events)  # type: ignore[arg-type]


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


def compare(title: str, plain: Callable[[], int], chained: Callable[[], int]) -> None:
    plain()  # warm-up of both paths, not counted
    chained()
    plain_count, plain_s = timed(plain)
    chained_count, chained_s = timed(chained)
    per_event = (chained_s / chained_count - plain_s / plain_count) * 1e6
    print(
        f"{title:44} {rate(plain_count, plain_s):>20} {rate(chained_count, chained_s):>20}"
        f"  {per_event:+.0f} µs/event"
    )


def verify_speed(person: Any, rows: int) -> None:
    """A fresh trail of `rows` chained events, then one `chain_verify()` over it."""
    from django.db import connection, transaction

    from meis.audit.chain import chain_verify

    # The comparisons above left unchained rows (the "without" halves): start again.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    for _ in range(rows // 1000):
        one_page(person, chained=True, size=1000)
    report, seconds = timed(chain_verify)
    if report.broken is not None:
        raise SystemExit(f"the bench's own trail does not verify: {report.broken}")
    print(f"{'chain_verify()':44} {report.events:>12,} events {rate(report.events, seconds):>20}")


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    person = bench_person()
    pages = max(args.events // PAGE, 1)
    print(f"{'':44} {'without chain':>20} {'with chain':>20}  cost")
    compare(
        "1 event per transaction",
        serial(partial(one_event, person, chained=False), args.events),
        serial(partial(one_event, person, chained=True), args.events),
    )
    compare(
        f"1 event per transaction, {args.threads} writers",
        parallel(partial(one_event, person, chained=False), args.events, args.threads),
        parallel(partial(one_event, person, chained=True), args.events, args.threads),
    )
    compare(
        f"a page of {PAGE} reads per transaction",
        serial(partial(one_page, person, chained=False), pages, PAGE),
        serial(partial(one_page, person, chained=True), pages, PAGE),
    )
    verify_speed(person, args.verify_rows)


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
