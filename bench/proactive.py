"""Benchmark: the proactive pipeline on PostgreSQL, from the live database to committed awards
and queued letters, and OpenFisca on the same population read from the same database.

    .tools/bin/uv sync --frozen --group bench
    .venv/bin/python bench/proactive.py --people 1000000 [--reuse]

Creates (or with --reuse keeps) the database `meis_bench_proactive` (`MEIS_BENCH_DB` names another) on 127.0.0.1:5432, generates
the registry and its facts, then measures (a) a full run of old-age pension + targeted
assistance, (b) the next day's incremental run, (c) OpenFisca evaluating the same two rules on
the same people read from the database. Four-eyes is approved in-process by a second
administrator (its planning COUNT is part of the measured time).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = os.environ.get("MEIS_BENCH_DB", "meis_bench_proactive")  # one database per population size
os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB}")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")
os.environ.setdefault("PROACTIVE_FOUR_EYES_THRESHOLD", "1000")

import django  # noqa: E402

ON = datetime.date(2020, 3, 2)


def database_create(reuse: bool) -> bool:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
        if exists and reuse:
            return False
        if exists:
            c.execute(f'DROP DATABASE "{DB}"')
        c.execute(f'CREATE DATABASE "{DB}"')
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--chunk-size", type=int, default=250_000)
    parser.add_argument("--skip-openfisca", action="store_true")
    parser.add_argument("--day", type=int, default=1, help="incremental run ON + this many days")
    parser.add_argument("--skip-full", action="store_true", help="with --reuse: (b) and (c) only")
    args = parser.parse_args()
    fresh = database_create(args.reuse)
    django.setup()
    from django.core.management import call_command

    from bench.rules import PeakMemory

    if fresh:
        call_command("migrate", verbosity=0)
        from meis.lifeevents.generator import facts_generate
        from meis.registry.generator import registry_generate

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
    from meis.proactive.pipeline import run_approve, run_execute, run_start

    first, second = _admins()
    with peak_memory() as memory:
        start = time.perf_counter()
        run = run_start(
            on=ON,
            mode="full",
            schemes=["old_age_pension", "targeted_assistance"],
            chunk_size=args.chunk_size,
            actor=first,
        )
        if run.status == "awaiting_approval":
            run_approve(run=run, actor=second)
        run = run_execute(run)
        seconds = time.perf_counter() - start
    people = args.people
    report(f"(a) full run, {people:,} people", seconds, people, memory.used_mb, run)
    print(f"    letters in the outbox: {Message.objects.filter(event='proactive_award').count():,}")


def measure_incremental(peak_memory, *, day: int) -> None:
    from meis.proactive.pipeline import run_execute, run_start

    with peak_memory() as memory:
        start = time.perf_counter()
        run = run_execute(run_start(on=ON + datetime.timedelta(days=day)))
        seconds = time.perf_counter() - start
    candidates = sum(s["candidates"] for s in run.report["schemes"].values())
    report("(b) daily incremental run", seconds, candidates, memory.used_mb, run)


def report(title, seconds, people, memory_mb, run) -> None:
    print(f"\n{title}: {seconds:.2f} s, {people / seconds:,.0f} people/s, peak +{memory_mb:.0f} MB")
    for scheme, t in run.report["schemes"].items():
        print(
            f"    {scheme:<24} candidates {t['candidates']:>9,} granted {t['granted']:>8,} "
            f"refused {t['refused']:>8,} near miss {t['near_miss']:>7,}"
        )


def measure_openfisca(peak_memory) -> None:
    import polars as pl

    from bench.rules import run_openfisca
    from meis.proactive import bulk

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


if __name__ == "__main__":
    main()
