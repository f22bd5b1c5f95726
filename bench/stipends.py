"""Benchmark: a full proactive Presidential-stipend run on PostgreSQL (issue 17, item 7: target
≤ 10 s at 10 M people), beside a baseline measured in the same run.

    .venv/bin/python bench/stipends.py --people 1000000 [--reuse] [--workers 2] [--rounds 5]

Creates (or with --reuse keeps) the database `meis_bench_stipends` (`MEIS_BENCH_DB` names
another) on 127.0.0.1:5432, generates the registry (people only, no other facts) and the
veterans' registers (`meis.veterans.synthetic`, ≈ 2.9 % of people), then measures:

- the baseline: the candidates' own SELECT (one row per person, categories as facts, held
  stipends excluded) copied out with `COPY (…) TO STDOUT` — the least any run must read — and a
  bare COPY of as many award rows into a scratch copy of `awards_award` — the least it must write;
- the full run as `meis proactive run --full --workers N` runs it: planning (its four-eyes
  count, approved in-process by a second administrator), then the chunks, split into `--workers`
  partitions executed side by side by processes forked from this one
  (`meis.proactive.services.side_by_side`), each committing awards, letters, usage events and
  results.

A reused database is first cleared of the stipends a previous measurement granted (outside the
measured time), so every run grants the same people. With `--rounds N` the clear, the baseline and
the run are repeated N times and the medians printed beside each round: on a shared 2-core
machine one run's time varies by ±10 % (the baseline's too), so a single figure says little.
The summary also gives the processor seconds all processes used during the run (from /proc/stat)
and the PostgreSQL settings that decide bulk-write speed (docs/postgresql.md).
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = os.environ.get("MEIS_BENCH_DB", "meis_bench_stipends")
os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB}")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")
os.environ.setdefault("PROACTIVE_FOUR_EYES_THRESHOLD", "1000")

import django  # noqa: E402

from bench._database import database_create, server_settings  # noqa: E402

ON = datetime.date(2020, 3, 2)
SCHEME = "presidential_stipend"
TARGET_SECONDS_AT_10M = 10.0
# The server settings that decide a run's write cost (docs/postgresql.md).
SERVER_SETTINGS = ("shared_buffers", "wal_buffers", "max_wal_size", "checkpoint_timeout")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--chunk-size", type=int, default=500_000)
    parser.add_argument("--workers", type=int, default=2, help="full-run partitions/processes")
    parser.add_argument("--rounds", type=int, default=1, help="clear, baseline and run N times")
    args = parser.parse_args()
    load_before = os.getloadavg()
    fresh = database_create(DB, args.reuse)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if fresh:
        generate(args.people)
        # The generators compute with Polars, whose thread pool does not survive the fork of the
        # measured run's partitions: measure in a new process, on the database just built.
        sys.stdout.flush()
        os.execv(sys.executable, [sys.executable, __file__, *sys.argv[1:], "--reuse"])  # noqa: S606
    people, statuses = counts()
    rounds = []
    for _ in range(args.rounds):
        previous_clear()
        baseline = measure_baseline()
        busy = _busy_seconds()
        seconds, granted, letters = measure_full(args)
        rounds.append(Round(baseline, seconds, _busy_seconds() - busy, granted, letters))
    report(args, people, statuses, rounds, load_before)


@dataclass(frozen=True)
class Round:
    baseline: dict[str, float]
    seconds: float
    processor_seconds: float  # every process's, the database server's included
    granted: int
    letters: int


def _busy_seconds() -> float:
    """Processor seconds the whole machine has spent busy since boot (not idle, not waiting)."""
    if not Path("/proc/stat").exists():
        return 0.0
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def generate(people: int) -> None:
    from meis.registry.synthetic import registry_generate
    from meis.veterans.synthetic import veterans_generate

    t = time.perf_counter()
    registry_generate(people=people, seed=1, as_of=ON - datetime.timedelta(days=1))
    print(f"registry generated: {people:,} people in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    result = veterans_generate(seed=1, on=ON - datetime.timedelta(days=1))
    print(f"veterans' registers: {result.statuses:,} statuses in {time.perf_counter() - t:.1f} s")
    # A production registry has been vacuumed since it was loaded: without it, the first runs
    # read 10 M freshly written rows, setting their hint bits and visibility map as they go
    # (seen here: 30.7 and 33.8 s, then 25.7 and 24.7 s after one VACUUM).
    t = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"vacuumed and analysed in {time.perf_counter() - t:.1f} s")


def counts() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM registry_person")
        people = int(cursor.fetchone()[0])
        cursor.execute("SELECT COUNT(*) FROM veterans_stipendstatus")
        return people, int(cursor.fetchone()[0])


def previous_clear() -> None:
    """Forget an earlier measurement's stipends (its awards, letters, uses and results)."""
    from django.db import connection

    from meis.awards.models import SERVICE_CODES

    with connection.cursor() as cursor:
        cursor.execute(
            """DELETE FROM notifications_message WHERE event = 'proactive_award'
               AND dedupe_key IN (SELECT 'award:' || id FROM awards_award WHERE kind = %s)""",
            [SCHEME],
        )
        # Each grant's use (source "award:<id>"): left behind, they would grow the table by a
        # run's grants at every measurement, making each run slower than the one before.
        cursor.execute(
            """DELETE FROM usage_usageevent WHERE kind = 'proactive' AND service_code = %s""",
            [SERVICE_CODES[SCHEME]],
        )
        cursor.execute("DELETE FROM awards_award WHERE kind = %s", [SCHEME])
        cursor.execute(
            """DELETE FROM proactive_candidateresult WHERE run_id IN
               (SELECT id FROM proactive_proactiverun WHERE schemes::text LIKE %s)""",
            [f"%{SCHEME}%"],
        )
        cursor.execute(
            """DELETE FROM proactive_runchunk WHERE run_id IN
               (SELECT id FROM proactive_proactiverun WHERE schemes::text LIKE %s)""",
            [f"%{SCHEME}%"],
        )
        cursor.execute(
            "DELETE FROM proactive_proactiverun WHERE schemes::text LIKE %s", [f"%{SCHEME}%"]
        )
    # Vacuumed, not only analysed: the deleted rows' dead index entries would otherwise be
    # cleaned up by the measured inserts (and autovacuum would start during the measurement),
    # where a production database has had autovacuum pass since its last full run.
    with connection.cursor() as cursor:
        for table in (
            "awards_award",
            "notifications_message",
            "proactive_candidateresult",
            "usage_usageevent",
        ):
            cursor.execute(f'VACUUM ANALYZE "{table}"')
        # And written out: the clear and the vacuum write about a gigabyte of WAL, which would
        # otherwise start a checkpoint during the measured run (a nightly run meets a database
        # at rest). CHECKPOINT needs a superuser: the benchmarks connect as postgres.
        cursor.execute("CHECKPOINT")


def measure_baseline() -> dict[str, float]:
    """The candidates' SELECT copied out, and as many bare award-shaped rows copied in."""
    from django.db import connection, transaction

    from meis.proactive.sources import SOURCES

    sql = SOURCES[SCHEME].select_sql("1 = 1")
    out = io.BytesIO()
    t = time.perf_counter()
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
        for block in copy:
            out.write(block)
    read = time.perf_counter() - t
    rows = out.getvalue().count(b"\n")
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_awards (LIKE awards_award INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        cursor.execute(
            "ALTER TABLE bench_awards ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"
        )
        cursor.execute(
            """INSERT INTO bench_awards (person_id, kind, exclusivity_group, amount_qepik,
                   is_one_off, start_on, status, origin, origin_reference, basis_id, record,
                   created_at)
               SELECT person_id, 'presidential_stipend', 'presidential_stipend', 30000, false,
                   recorded_on, 'active', 'proactive_run', '', 0, '{}'::jsonb, now()
               FROM veterans_stipendstatus"""
        )
    write = time.perf_counter() - t
    return {"read": read, "write": write, "rows": float(rows)}


def measure_full(args: argparse.Namespace) -> tuple[float, int, int]:
    """The run as `meis proactive run --full --workers N` does it, approval included."""
    from meis.awards.models import Award
    from meis.notifications.models import Message
    from meis.proactive.models import RunChunk
    from meis.proactive.services import (
        partitions_start,
        run_approve,
        runs_execute_side_by_side,
    )

    first, second = _admins()
    letters_before = Message.objects.filter(event="proactive_award").count()
    start = time.perf_counter()
    runs = partitions_start(
        on=ON, schemes=[SCHEME], workers=args.workers, chunk_size=args.chunk_size, actor=first
    )
    for run in runs:
        if run.status == "awaiting_approval":
            run_approve(run=run, actor=second)
    planned = time.perf_counter() - start
    runs = runs_execute_side_by_side(runs, fork=True)  # no Polars used before
    seconds = time.perf_counter() - start
    print(f"planning and approval: {planned:.2f} s")
    chunks = sum(RunChunk.objects.filter(run__in=runs).values_list("seconds", flat=True), start=0.0)
    print(f"chunks' own seconds (all workers): {chunks:.2f} s")
    granted = Award.objects.filter(kind=SCHEME).count()
    letters = Message.objects.filter(event="proactive_award").count() - letters_before
    return seconds, granted, letters


def _admins():
    from django.contrib.auth.models import Group, User

    group, _ = Group.objects.get_or_create(name="administrator")
    users = []
    for name in ("bench-admin-1", "bench-admin-2"):
        user, _ = User.objects.get_or_create(username=name, defaults={"is_staff": True})
        user.groups.add(group)
        users.append(user)
    return users


def report(
    args: argparse.Namespace,
    people: int,
    statuses: int,
    rounds: list[Round],
    load_before: tuple[float, float, float],
) -> None:
    last = rounds[-1]
    print(
        f"\nSummary — {people:,} people, {statuses:,} statuses, database {DB}, "
        f"{os.cpu_count()} CPUs, {args.workers} worker(s); "
        f"{last.granted:,} awards, {last.letters:,} letters a run; the baseline reads "
        f"{last.baseline['rows']:,.0f} candidates"
    )
    print(f"PostgreSQL: {server_settings(SERVER_SETTINGS)} (docs/postgresql.md)")
    print(
        f"{'round':<7}{'baseline read s':>16}{'baseline write s':>17}{'full run s':>11}"
        f"{'processor s':>12}{'run ÷ read':>11}"
    )
    for number, r in enumerate(rounds, start=1):
        print(
            f"{number:<7}{r.baseline['read']:>16.2f}{r.baseline['write']:>17.2f}{r.seconds:>11.2f}"
            f"{r.processor_seconds:>12.1f}{r.seconds / r.baseline['read']:>11.1f}"
        )
    seconds = statistics.median(r.seconds for r in rounds)
    print(
        f"{'median':<7}{statistics.median(r.baseline['read'] for r in rounds):>16.2f}"
        f"{statistics.median(r.baseline['write'] for r in rounds):>17.2f}{seconds:>11.2f}"
        f"{statistics.median(r.processor_seconds for r in rounds):>12.1f}"
        f"{statistics.median(r.seconds / r.baseline['read'] for r in rounds):>11.1f}"
    )
    at_10m = seconds * 10_000_000 / people
    print(
        f"full stipend run (plan, rules, awards, letters), median of {len(rounds)}: "
        f"{seconds:.2f} s; linear extrapolation to 10 M people: {at_10m:.1f} s "
        f"(target ≤ {TARGET_SECONDS_AT_10M:.0f} s)"
    )
    load = os.getloadavg()
    print(f"load average (1, 5, 15 min): before {_load(load_before)}, after {_load(load)}")


def _load(values: tuple[float, ...]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
