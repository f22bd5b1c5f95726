"""Benchmark: the proactive pipeline on PostgreSQL, from the live database to committed awards
and queued letters, and OpenFisca on the same population read from the same database.

    .tools/bin/uv sync --frozen --group bench
    .venv/bin/python bench/proactive.py --people 1000000 [--reuse] [--workers 2]

Creates (or with --reuse keeps) the database `meis_bench_proactive` (`MEIS_BENCH_DB` names
another) on 127.0.0.1:5432, generates the registry and its facts, then measures (a) a full run
of old-age pension + targeted assistance, split into `--workers` partitions (`--partition i/n`),
each executed by its own process side by side, (b) the next day's incremental run, (c) OpenFisca
evaluating the same two rules on the same people read from the database. Four-eyes is approved
in-process by a second administrator (its planning COUNT is part of the measured time). A
table at the end sums it up. Run it against a copy of a generated database
(`CREATE DATABASE copy TEMPLATE generated`, then `MEIS_BENCH_DB=copy … --reuse`; it migrates
the copy first, outside the measured time).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = os.environ.get("MEIS_BENCH_DB", "meis_bench_proactive")  # one database per population size
os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB}")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")
os.environ.setdefault("PROACTIVE_FOUR_EYES_THRESHOLD", "1000")

import django  # noqa: E402

from bench._database import database_create, server_settings  # noqa: E402

ON = datetime.date(2020, 3, 2)


@dataclass
class Row:
    """One line of the summary table."""

    name: str
    seconds: float
    people: int
    peak_mb: float
    counts: str = ""
    notes: list[str] = field(default_factory=list)


ROWS: list[Row] = []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--chunk-size", type=int, default=250_000)
    parser.add_argument("--skip-openfisca", action="store_true")
    parser.add_argument(
        "--day",
        type=int,
        default=0,
        help="incremental run ON + this many days (0: the next day "
        "without a successful incremental run, so a reused database measures a fresh day)",
    )
    parser.add_argument("--skip-full", action="store_true", help="with --reuse: (b) and (c) only")
    parser.add_argument("--workers", type=int, default=2, help="full-run partitions/processes")
    parser.add_argument("--execute-run", type=int, help=argparse.SUPPRESS)  # a worker's run id
    args = parser.parse_args()
    if args.execute_run:
        worker(args.execute_run)
        return
    load_before = os.getloadavg()
    fresh = database_create(DB, args.reuse)
    django.setup()
    from django.core.management import call_command

    from bench.rules import PeakMemory

    # A reused database (a copy of a generated one) may predate the latest migrations.
    call_command("migrate", verbosity=0)
    if fresh:
        from meis.lifeevents.synthetic import facts_generate
        from meis.registry.synthetic import registry_generate

        t = time.perf_counter()
        registry_generate(people=args.people, seed=1, as_of=ON - datetime.timedelta(days=1))
        print(f"registry generated: {args.people:,} people in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        facts = facts_generate(seed=1, on=ON - datetime.timedelta(days=1))
        print(f"facts generated in {time.perf_counter() - t:.1f} s: {facts}")
    if not args.skip_full:
        measure_full(args, PeakMemory)
    measure_incremental(PeakMemory, day=args.day)
    if not args.skip_openfisca:
        measure_openfisca(PeakMemory)
    table(args, load_before)


def worker(run_id: int) -> None:
    """Execute one approved partition run; print its peak memory as JSON (for the parent)."""
    django.setup()
    from bench.rules import PeakMemory
    from meis.proactive.models import ProactiveRun
    from meis.proactive.services import run_execute

    run = ProactiveRun.objects.get(pk=run_id)
    backend = _backend_pid()
    python_cpu, database_cpu = _cpu_seconds(os.getpid()), _cpu_seconds(backend)
    with PeakMemory() as memory:
        run_execute(run)
    python_cpu = _cpu_seconds(os.getpid()) - python_cpu
    database_cpu = _cpu_seconds(backend) - database_cpu
    print(
        json.dumps(
            {
                "run": run_id,
                "peak_mb": memory.used_mb,
                "rss_mb": memory.peak / 2**20,
                "python_cpu": python_cpu,
                "database_cpu": database_cpu,
            }
        )
    )


def _backend_pid() -> int:
    """The PostgreSQL server process serving this connection (on this machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _cpu_seconds(pid: int) -> float:
    """User + system processor time of a process on this machine, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _admins():
    from django.contrib.auth.models import Group, User

    group, _ = Group.objects.get_or_create(name="administrator")
    users = []
    for name in ("bench-admin-1", "bench-admin-2"):
        user, _ = User.objects.get_or_create(username=name, defaults={"is_staff": True})
        user.groups.add(group)
        users.append(user)
    return users


def measure_full(args: argparse.Namespace, peak_memory) -> None:
    from meis.notifications.models import Message
    from meis.proactive.services import run_approve, run_start

    first, second = _admins()
    letters_before = Message.objects.filter(event="proactive_award").count()
    start = time.perf_counter()
    runs = []
    for index in range(1, args.workers + 1):
        run = run_start(
            on=ON,
            mode="full",
            schemes=["old_age_pension", "targeted_assistance"],
            partition=(index, args.workers),
            chunk_size=args.chunk_size,
            actor=first,
        )
        if run.status == "awaiting_approval":
            run_approve(run=run, actor=second)
        runs.append(run)
    planned = time.perf_counter() - start
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--execute-run", str(run.pk)],
            stdout=subprocess.PIPE,
            env=os.environ,
        )
        for run in runs
    ]
    outputs = [json.loads(w.communicate()[0].decode().strip().splitlines()[-1]) for w in workers]
    if any(w.returncode for w in workers):
        raise SystemExit("a worker failed; run again with --reuse to resume")
    seconds = time.perf_counter() - start
    for run in runs:
        run.refresh_from_db()
    letters = Message.objects.filter(event="proactive_award").count() - letters_before
    totals = _totals(runs)
    peak = sum(o["peak_mb"] for o in outputs)
    title = f"(a) full run, {args.people:,} people, {args.workers} worker(s)"
    print(
        f"\n{title}: {seconds:.2f} s ({planned:.2f} s planning and approval), "
        f"{args.people / seconds:,.0f} people/s, peak +{peak:.0f} MB (all workers)"
    )
    _print_schemes(totals)
    print(f"    letters queued: {letters:,}")
    python_cpu = sum(o["python_cpu"] for o in outputs)
    database_cpu = sum(o["database_cpu"] for o in outputs)
    print(
        f"    processor seconds (all workers): Python {python_cpu:.1f}, "
        f"their PostgreSQL server processes {database_cpu:.1f}, "
        f"of {seconds * (os.cpu_count() or 1):.1f} available"
    )
    granted = sum(t["granted"] for t in totals.values())
    ROWS.append(
        Row(
            f"full run, {args.workers} workers",
            seconds,
            args.people,
            peak,
            f"{granted:,} awards, {letters:,} letters",
            [f"{s}: {t['granted']:,} granted of {t['candidates']:,}" for s, t in totals.items()],
        )
    )


def _totals(runs) -> dict[str, dict[str, Any]]:
    totals: dict[str, dict[str, Any]] = {}
    for run in runs:
        for scheme, t in run.report["schemes"].items():
            into = totals.setdefault(scheme, {})
            for key, value in t.items():
                if key == "phases":
                    phases = into.setdefault("phases", {})
                    for phase, seconds in value.items():
                        phases[phase] = phases.get(phase, 0) + seconds
                elif key != "regions":
                    into[key] = into.get(key, 0) + value
    return totals


def _print_schemes(totals) -> None:
    for scheme, t in totals.items():
        print(
            f"    {scheme:<24} candidates {t['candidates']:>9,} granted {t['granted']:>8,} "
            f"refused {t['refused']:>8,} near miss {t['near_miss']:>7,}"
        )
        if t.get("phases"):
            phases = ", ".join(f"{k} {v:.1f}" for k, v in t["phases"].items())
            print(f"    {'':<24} worker seconds (all workers, before commit): {phases}")


def measure_incremental(peak_memory, *, day: int) -> None:
    from meis.proactive.models import ProactiveRun
    from meis.proactive.services import run_execute, run_start

    done = set(
        ProactiveRun.objects.filter(mode="incremental", status="succeeded").values_list(
            "on", flat=True
        )
    )
    day = day or next(d for d in range(1, 400) if ON + datetime.timedelta(days=d) not in done)

    with peak_memory() as memory:
        start = time.perf_counter()
        run = run_execute(run_start(on=ON + datetime.timedelta(days=day)))
        seconds = time.perf_counter() - start
    totals = _totals([run])
    candidates = sum(t["candidates"] for t in totals.values())
    print(
        f"\n(b) daily incremental run: {seconds:.2f} s, {candidates / seconds:,.0f} people/s, "
        f"peak +{memory.used_mb:.0f} MB"
    )
    _print_schemes(totals)
    granted = sum(t["granted"] for t in totals.values())
    ROWS.append(Row("daily run", seconds, candidates, memory.used_mb, f"{granted:,} awards"))


def table(args: argparse.Namespace, load_before: tuple[float, float, float]) -> None:
    load = os.getloadavg()
    print(f"\nSummary — {args.people:,} people, database {DB}, {os.cpu_count()} CPUs")
    print(f"{'':<24}{'wall s':>9}{'people/s':>12}{'peak MB':>9}  counts")
    for row in ROWS:
        print(
            f"{row.name:<24}{row.seconds:>9.2f}{row.people / row.seconds:>12,.0f}"
            f"{row.peak_mb:>9.0f}  {row.counts}"
        )
        for note in row.notes:
            print(f"{'':<56}{note}")
    print("peak MB: above the process's starting RSS (the full run: all its workers together)")
    print(f"load average (1, 5, 15 min): before {_load(load_before)}, after {_load(load)}")
    print(f"PostgreSQL: {server_settings(SERVER_SETTINGS)} (docs/postgresql.md)")


SERVER_SETTINGS = ("shared_buffers", "max_wal_size", "checkpoint_timeout", "wal_compression")


def _load(values: tuple[float, float, float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def measure_openfisca(peak_memory) -> None:
    import polars as pl

    from bench.rules import run_openfisca
    from meis.core import bulk

    with peak_memory() as memory:
        start = time.perf_counter()
        persons = bulk.frame_read(
            """SELECT p.id, p.sex, p.birth_on, COALESCE(a.record_months, 0),
                      COALESCE(a.pension_capital_qepik, 0), m.household_id,
                      CASE WHEN m.relation = 'head' THEN 1 ELSE 0 END
               FROM registry_person p
               LEFT JOIN insurance_insuranceaccount a ON a.person_id = p.id
               JOIN registry_householdmembership m ON m.person_id = p.id AND m.left_on IS NULL
               WHERE p.died_on IS NULL ORDER BY m.household_id""",
            [],
            {
                "id": pl.Int64(),
                "sex": pl.String(),
                "birth_on": pl.Date(),
                "record": pl.Int64(),
                "capital": pl.Int64(),
                "household_id": pl.Int64(),
                "is_head": pl.Int64(),
            },
        )
        homes = bulk.frame_read(
            """SELECT household_id, income_12_months_qepik, declaration_matches_checks,
                      purchases_sales_12_months_qepik, has_vehicle, refused_suitable_jobs,
                      utility_spending_12_months_qepik, same_purpose_real_estate_units
               FROM lifeevents_householdmeans ORDER BY household_id""",
            [],
            {
                "household_id": pl.Int64(),
                "income": pl.Int64(),
                "declaration_matches_checks": pl.Boolean(),
                "purchases_sales_12_months_qepik": pl.Int64(),
                "has_vehicle": pl.Boolean(),
                "refused_suitable_jobs": pl.Int64(),
                "utility_spending_12_months_qepik": pl.Int64(),
                "same_purpose_real_estate_units": pl.Int64(),
            },
        )
        persons = persons.filter(pl.col("household_id").is_in(homes["household_id"].implode()))
        homes = homes.filter(
            pl.col("household_id").is_in(persons["household_id"].unique().implode())
        )
        index = {hid: i for i, hid in enumerate(homes["household_id"].to_list())}
        income = homes.select("household_id", "income")
        persons = persons.join(income, on="household_id", how="left").with_columns(
            income=pl.when(pl.col("is_head") == 1).then(pl.col("income")).otherwise(0)
        )
        people = {
            "household_id": np.array([index[h] for h in persons["household_id"].to_list()]),
            "is_male": (persons["sex"] == "M").to_numpy(),
            "birth_on": persons["birth_on"].to_numpy().astype("datetime64[D]"),
            "insurance_record_months": persons["record"].to_numpy(),
            "pension_capital_qepik": persons["capital"].to_numpy(),
            "income_12_months_qepik": persons["income"].to_numpy(),
        }
        home_arrays = {c: homes[c].to_numpy() for c in homes.columns[2:]}
        read_seconds = time.perf_counter() - start
        result = run_openfisca(people, home_arrays)
        seconds = time.perf_counter() - start
    n = len(people["is_male"])
    print(
        f"\n(c) OpenFisca, same two rules, {n:,} people read from the database: "
        f"{seconds:.2f} s total ({read_seconds:.2f} s reading, "
        f"{result['seconds']:.2f} s evaluation), {n / result['seconds']:,.0f} people/s evaluating, "
        f"peak +{memory.used_mb:.0f} MB (evaluation only, no writes)"
    )
    ROWS.append(
        Row(
            "OpenFisca (read+eval)",
            seconds,
            n,
            memory.used_mb,
            f"evaluation alone {result['seconds']:.2f} s, reading {read_seconds:.2f} s",
        )
    )


if __name__ == "__main__":
    main()
