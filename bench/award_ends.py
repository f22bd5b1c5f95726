"""Benchmark: the daily end of awards (`awards_end_due`) on PostgreSQL over a registry of N people.

    .venv/bin/python bench/award_ends.py --people 1000000 [--reuse]

Creates (or with --reuse keeps) the database `meis_bench_award_ends_<N>` (`MEIS_BENCH_DB` names
another) on 127.0.0.1:5432, generates the registry and its life events, then writes synthetic
awards with COPY (`meis.core.bulk`), about one per four people as the issue assumes (2.5 M at
10 M people), in the shares of docs/domain.md §3–§5 and §12: old-age, disability and survivor
pensions, age and disability benefits, disabled children's benefits, targeted assistance,
benefits for children under 1, one-off childbirth benefits, and ended predecessors (recalculated
pensions, past assistance). End dates follow the law (`lifecycle.end_by_law`'s dates, spread as
a running caseload spreads them), so that on the measured day, the 1st of a month:

- the targeted assistance granted twelve months ago ends (1/12 of it, the month's peak) and the
  assistance ending on the month's last day gets its reminder;
- about 1/730 of disability awards reach their re-examination date, a fifth of them continued by
  a newer decision taken yesterday; children's benefits reach their age limits;
- yesterday's deaths (about 16 per million people a day, docs/domain.md §12's population and
  death rate) end their awards.

Then it measures (a) the job (`awards_end_due`, one transaction, letters included), committed;
(b) the same job again the same day (nothing left to change: its cost is the job's floor);
(c) the baseline in the same run: one sequential read of the tables the job looks at
(`count(*)` of awards and of the dead), what any set-based job over them costs at least.
The target: 30 s at 10 million people (issue 14), on two cores.
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
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")

import django  # noqa: E402

from bench._database import database_create as database_create  # noqa: E402 (bench/payroll.py)

ON = datetime.date(2026, 3, 1)  # the 1st of a month: the day targeted assistance ends
TARGET_SECONDS_AT_10M = 30.0
# Shares of the registry holding each kind (docs/domain.md §3, §5, §12: 1.26 M pensioners, 100 k
# age benefits, 182 k adult disability benefits, 53 k disabled children, 80 k families on
# targeted assistance in 10 M people); one-off and ended awards make up the quarter.
SHARES = {
    "old_age_pension": 0.0737,
    "disability_pension": 0.0381,
    "survivor_pension": 0.0142,
    "age_benefit": 0.0100,
    "disability_benefit": 0.0182,
}
OTHER_SHARES = {
    "disabled_child_benefit": 0.0053,
    "targeted_assistance": 0.0080,
    "child_under_one_benefit": 0.0020,
    "childbirth_benefit": 0.0230,
}
ENDED_SHARE = 0.0575  # recalculated pensions' predecessors, past assistance
DEATHS_PER_PERSON_A_DAY = 1.6e-5  # about 60 000 deaths a year in 10 million people
CONTINUED_SHARE = 0.2  # of the disability awards due, continued by a decision taken yesterday


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database and its awards")
    args = parser.parse_args()
    name = os.environ.get("MEIS_BENCH_DB", f"meis_bench_award_ends_{args.people}")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    load_before = os.getloadavg()
    fresh = database_create(name, args.reuse)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if fresh:
        generate(args.people)
    else:
        print(f"reusing {name}: run without --reuse to measure a fresh day")
    measure(args.people, name, load_before)


def generate(people: int) -> None:
    from meis.lifeevents.synthetic import facts_generate
    from meis.registry.synthetic import registry_generate

    started = time.perf_counter()
    registry_generate(people=people, seed=1, as_of=ON - datetime.timedelta(days=2))
    facts_generate(seed=1, on=ON - datetime.timedelta(days=2))
    print(f"registry and facts: {people:,} people in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    counts = awards_write(people)
    print(
        f"awards written in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )


# -- the synthetic caseload -----------------------------------------------------------------------


def awards_write(people: int) -> dict[str, int]:
    """Write the awards (COPY), yesterday's deaths and the continuing decisions; ANALYZE."""
    import polars as pl
    from django.db import connection, transaction
    from django.utils import timezone

    from meis.awards.models import EXCLUSIVITY_GROUPS
    from meis.awards.services import basis_get_or_create
    from meis.core import bulk

    rng = np.random.default_rng(14)
    alive = bulk.frame_read(
        "SELECT id, birth_on FROM registry_person WHERE died_on IS NULL ORDER BY id",
        [],
        {"id": pl.Int64(), "birth_on": pl.Date()},
    )
    on = np.datetime64(ON.isoformat(), "D")
    birth = alive["birth_on"].to_numpy().astype("datetime64[D]")
    of_age = np.datetime64(ON.replace(year=ON.year - 18).isoformat(), "D")
    adults = alive["id"].to_numpy()[birth < of_age]
    # Children, and those turning 18 today (their benefit's last day was yesterday).
    children = alive.filter(pl.col("birth_on") >= ON.replace(year=ON.year - 18))
    # Each labour-pension-group kind to people of its own (the law's exclusivity).
    pensioners = rng.permutation(adults)
    parts: list[pl.DataFrame] = []
    taken = 0
    for kind, share in SHARES.items():
        count = int(people * share)
        ids = pensioners[taken : taken + count]
        taken += count
        parts.append(_held(kind, ids, rng, on))
    others = rng.permutation(adults)
    for kind, share in OTHER_SHARES.items():
        count = int(people * share)
        if kind == "disabled_child_benefit":
            chosen = children.sample(n=min(count, children.height), seed=14)
            parts.append(_children(chosen, rng, on))
            continue
        parts.append(_held(kind, others[:count], rng, on))
        others = others[count:]
    ended_ids = rng.choice(pensioners[:taken], size=int(people * ENDED_SHARE), replace=False)
    parts.append(_ended(ended_ids, rng, on))
    frame = pl.concat(parts, how="vertical")
    basis = basis_get_or_create(scheme="old_age_pension", on=ON - datetime.timedelta(days=400))
    rows = frame.with_columns(
        household_id=pl.lit(None, dtype=pl.Int64),
        exclusivity_group=pl.col("kind").replace_strict(
            {k: EXCLUSIVITY_GROUPS.get(k, "") for k in frame["kind"].unique()},
            return_dtype=pl.String,
        ),
        amount_qepik=pl.lit(24_000, dtype=pl.Int64),
        origin=pl.lit("proactive_run"),
        origin_reference=pl.lit("bench"),
        origin_batch=pl.lit(None, dtype=pl.Int64),
        basis_id=pl.lit(basis.pk, dtype=pl.Int64),
        record=pl.lit('{"facts": {}, "steps": {}}'),
        created_at=pl.lit(timezone.now(), dtype=pl.Datetime("us", "UTC")),
    )
    with transaction.atomic():
        bulk.frame_write("awards_award", rows)
        deaths = _deaths(frame, people, rng)
        continued = _continuing_decisions(frame, rng)
    with connection.cursor() as cursor:
        for table in ("awards_award", "registry_person", "lifeevents_disabilitydecision"):
            cursor.execute(f'ANALYZE "{table}"')
    counts = {str(k): int(n) for k, n in frame.group_by("kind").len().sort("kind").rows()}
    return {**counts, "deaths yesterday": deaths, "continuing decisions": continued}


def _dates(
    on: np.datetime64, low: int, high: int, size: int, rng: np.random.Generator
) -> np.ndarray:
    offsets: np.ndarray = rng.integers(low, high, size=size).astype("timedelta64[D]")
    return np.asarray(on + offsets)


def _held(kind: str, ids: np.ndarray, rng, on: np.datetime64):
    """Held awards of `kind` with the law's end dates, spread as a running caseload's are."""
    import polars as pl

    from meis.awards.services.lifecycle import end_by_law

    n = ids.size
    if kind == "targeted_assistance":
        months = rng.integers(1, 13, size=n)  # granted 1–12 months ago, from the 1st
        start = (on.astype("datetime64[M]") - months.astype("timedelta64[M]")).astype(
            "datetime64[D]"
        )
        frame = pl.DataFrame({"person_id": ids, "start_on": start}).with_columns(
            pl.col("start_on").cast(pl.Date)
        )
        return _shaped(frame.with_columns(end_by_law(kind).end_on), kind)
    start = _dates(on, -3650, -1, n, rng)
    if kind in ("disability_pension", "disability_benefit"):
        end = _dates(on, -1, 729, n, rng)  # the re-examination date in the next two years
    elif kind == "child_under_one_benefit":
        start = _dates(on, -365, 0, n, rng)
        end = start + np.timedelta64(364, "D")
    elif kind == "childbirth_benefit":
        start = _dates(on, -1095, 0, n, rng)
        end = start
    else:
        end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    frame = pl.DataFrame({"person_id": ids, "start_on": start, "end_on": end}).with_columns(
        pl.col("start_on", "end_on").cast(pl.Date)
    )
    return _shaped(frame, kind, is_one_off=kind == "childbirth_benefit")


def _children(children, rng, on: np.datetime64):
    """Disabled children's benefits: the eve of the 18th birthday or a re-examination date."""
    import polars as pl

    from meis.awards.services.lifecycle import end_by_law

    n = children.height
    frame = children.select(person_id="id", birth_on="birth_on").with_columns(
        start_on=pl.Series(_dates(on, -1825, -1, n, rng)).cast(pl.Date),
        reexamine_on=pl.Series(_dates(on, 0, 1825, n, rng)).cast(pl.Date),
    )
    frame = frame.with_columns(pl.max_horizontal("start_on", "birth_on").alias("start_on"))
    frame = frame.with_columns(end_by_law("disabled_child_benefit").end_on)
    return _shaped(frame, "disabled_child_benefit")


def _ended(ids: np.ndarray, rng, on: np.datetime64):
    """Ended predecessors: a pension recalculated last 1 January, past assistance."""
    import polars as pl

    start = _dates(on, -4000, -3700, ids.size, rng)
    frame = pl.DataFrame(
        {"person_id": ids, "start_on": start, "end_on": start + np.timedelta64(300, "D")}
    ).with_columns(pl.col("start_on", "end_on").cast(pl.Date))
    return _shaped(frame, "old_age_pension", status="ended", end_reason="recalculated")


def _shaped(
    frame, kind: str, *, is_one_off: bool = False, status: str = "active", end_reason: str = ""
):
    import polars as pl

    return frame.select(
        pl.col("person_id").cast(pl.Int64),
        kind=pl.lit(kind),
        is_one_off=pl.lit(is_one_off),
        start_on="start_on",
        end_on=pl.col("end_on").cast(pl.Date),
        status=pl.lit(status),
        end_reason=pl.lit(end_reason),
    )


def _deaths(frame, people: int, rng) -> int:
    """Yesterday's deaths among the holders of awards."""
    from django.db import connection

    holders = frame.filter(frame["status"] == "active")["person_id"].unique().to_numpy()
    dead = rng.choice(holders, size=max(1, int(people * DEATHS_PER_PERSON_A_DAY)), replace=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_person SET died_on = %s WHERE id = ANY(%s)",
            [ON - datetime.timedelta(days=1), [int(i) for i in dead]],
        )
    return int(dead.size)


def _continuing_decisions(frame, rng) -> int:
    """A newer decision, taken yesterday, for a fifth of the disability awards due today."""
    import polars as pl

    from meis.core import bulk

    due = frame.filter(
        pl.col("kind").is_in(["disability_pension", "disability_benefit"]) & (pl.col("end_on") < ON)
    )
    chosen = due.sample(fraction=CONTINUED_SHARE, seed=14)
    decisions = chosen.select(
        "person_id",
        degree=pl.lit("II"),
        percentage=pl.lit(None, dtype=pl.Int64),
        cause=pl.lit("general_illness"),
        decided_on=pl.lit(ON - datetime.timedelta(days=1)),
        reexamine_on=pl.lit(ON + datetime.timedelta(days=730)),
    )
    bulk.frame_write("lifeevents_disabilitydecision", decisions)
    return int(decisions.height)


# -- measuring ------------------------------------------------------------------------------------


def measure(people: int, name: str, load_before: tuple[float, float, float]) -> None:
    from django.db import connection

    from meis.awards.services import awards_end_due
    from meis.notifications.models import Message

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM awards_award")
        awards = int(cursor.fetchone()[0])
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    letters_before = Message.objects.count()
    python_cpu, database_cpu = _cpu_seconds(os.getpid()), _cpu_seconds(backend)
    started = time.perf_counter()
    report = awards_end_due(on=ON)
    seconds = time.perf_counter() - started
    python_cpu = _cpu_seconds(os.getpid()) - python_cpu
    database_cpu = _cpu_seconds(backend) - database_cpu
    letters = Message.objects.count() - letters_before

    started = time.perf_counter()
    again = awards_end_due(on=ON)
    seconds_again = time.perf_counter() - started

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM awards_award")
        cursor.execute("SELECT count(*) FROM registry_person WHERE died_on IS NOT NULL")
    baseline = time.perf_counter() - started

    load = os.getloadavg()
    target = TARGET_SECONDS_AT_10M * people / 10_000_000
    print(f"\nDaily end of awards — {people:,} people, {awards:,} awards, database {name}")
    print(f"(a) the job on {ON}: {seconds:.2f} s ({report})")
    print(f"    letters written: {letters:,} message rows")
    print(
        f"    processor seconds: Python {python_cpu:.2f}, its PostgreSQL server process "
        f"{database_cpu:.2f}, of {seconds * (os.cpu_count() or 1):.1f} available"
    )
    print(f"(b) the same day again: {seconds_again:.2f} s, changes: {not again.is_empty}")
    print(f"(c) baseline, one read of awards and of the dead: {baseline:.2f} s")
    print(
        f"target: {TARGET_SECONDS_AT_10M:.0f} s at 10,000,000 people "
        f"(scaled to {people:,}: {target:.1f} s); {os.cpu_count()} CPUs"
    )
    print(f"load average (1, 5, 15 min): before {_load(load_before)}, after {_load(load)}")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load(values: tuple[float, float, float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
