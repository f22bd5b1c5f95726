"""Benchmark: bulk notification of employment contracts and the monthly accrual, on PostgreSQL.

    .venv/bin/python bench/labour.py [--contracts 100000] [--people 180000] [--seed 1]
                                     [--accrual-contracts 1900000] [--profile]

Issue 15's figures, each beside its baseline measured in the same run:
1. drops and creates `meis_bench_labour` on the server of DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/), migrates it, and generates a synthetic registry
   (`registry_generate`) with enough living adults for the contracts;
2. writes a CSV of N hires (one per person, one employer, the upload template's columns) and
   times `drafts_read` on it (bytes → drafts);
3. baseline: a plain COPY of the same N rows into labour_contract, rolled back — the floor of
   writing them at all, with the table's indexes and constraints;
4. times `upload_register` → `conclusions_register`: every check (the person, age and hours,
   minimum wage vectorised, one main job, no duplicate), the contracts and their first versions,
   the insurance accounts opened, the audit row, and a message to each employee through the
   outbox → contracts per second (target ≥ 2 000/s on 2 cores); `--profile` prints where the
   time goes (cProfile, top 25 by cumulative time);
5. tops the register up to `--accrual-contracts` live contracts with one INSERT … SELECT
   (secondary jobs of the generated people at the generated employers, with their versions) and
   times `contributions_accrue` for March 2020 (target ≤ 30 s for 1.9 M);
6. prints peak memory (this process's maxrss: reading, checking and the accrual run here).

The database is dropped at the end unless --keep-db.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime
import io
import os
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MEIS = Path(sys.executable).with_name("meis")
BENCH_DB = "meis_bench_labour"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
START_ON = datetime.date(2020, 3, 16)
MONTH_ON = datetime.date(2020, 3, 1)


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def recreate(url: str, name: str, *, drop_only: bool = False) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(label: str, value: str, baseline: str = "") -> None:
    print(f"{label:<44} {value:>16}   {baseline}")


# --- Data ------------------------------------------------------------------------------------


def people_generate(people: int, seed: int) -> float:
    from meis.registry.synthetic.country import registry_generate

    started = time.perf_counter()
    registry_generate(people=people, seed=seed, as_of=MONTH_ON)
    return time.perf_counter() - started


def hires_csv(count: int) -> tuple[bytes, list[int]]:
    """N hires of living adults at one new employer, as the upload template writes them."""
    from meis.labour.bulk import FILE_COLUMNS
    from meis.registry.models import Person

    adults = list(
        Person.objects.filter(died_on__isnull=True, birth_on__lte=datetime.date(1999, 1, 1))
        .order_by("id")
        .values_list("id", "fin")[:count]
    )
    if len(adults) < count:
        raise SystemExit(f"only {len(adults)} living adults: raise --people")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FILE_COLUMNS)
    for n, (_, fin) in enumerate(adults):
        row = {
            "employee_fin": fin,
            "occupation_code": "2512",
            "position": "Proqramçı",
            "workplace": "Bakı ofisi",
            "monthly_wage_azn": f"{600 + n % 4000}.{n % 100:02d}",
            "weekly_hours": "40",
            "term": "indefinite",
            "fixed_end_on": "",
            "probation_months": "0",
            "concluded_on": "2020-03-13",
            "start_on": START_ON.isoformat(),
            "is_main_job": "yes",
        }
        writer.writerow([row[f] for f in FILE_COLUMNS])
    return out.getvalue().encode(), [person_id for person_id, _ in adults]


def bench_employer() -> object:
    from meis.core.identifiers import voen_check_digit
    from meis.registry.models import Employer, EmployerSector, LegalForm, Region

    for eighth in range(10):
        first = f"99{12345:05d}{eighth}"
        check = voen_check_digit(first)
        if check is not None:
            return Employer.objects.create(
                voen=f"{first}{check}1",
                sun="9999999999",
                name="Bench Tikinti MMC",
                legal_form=LegalForm.LLC,
                sector=EmployerSector.NON_OIL_PRIVATE,
                region=Region.BAKU,
                address="Bakı",
            )
    raise SystemExit("no VÖEN")


# --- Baseline: COPY ------------------------------------------------------------------------


COPY_COLUMNS = (
    "employer_id", "person_id", "occupation_id", "position", "workplace", "monthly_wage_qepik",
    "weekly_hours", "term", "probation_months", "is_main_job", "concluded_on", "start_on",
    "status", "registered_at", "is_late", "version",
)  # fmt: skip


def copy_baseline(employer_id: int, person_ids: list[int], occupation_id: int) -> float:
    """COPY the same rows into labour_contract in a transaction that is rolled back."""
    from django.db import connection, transaction

    now = datetime.datetime.now(tz=datetime.UTC).isoformat()
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            copy_sql = f"COPY labour_contract ({', '.join(COPY_COLUMNS)}) FROM STDIN"
            with cursor.copy(copy_sql) as copy:
                for n, person_id in enumerate(person_ids):
                    copy.write_row(
                        (
                            employer_id,
                            person_id,
                            occupation_id,
                            "Proqramçı",
                            "Bakı ofisi",
                            60000 + n % 400000,
                            40,
                            "indefinite",
                            0,
                            True,
                            "2020-03-13",
                            START_ON.isoformat(),
                            "active",
                            now,
                            True,
                            1,
                        )  # fmt: skip
                    )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


# --- Accrual top-up ------------------------------------------------------------------------


TOP_UP_SQL = """
CREATE TEMP TABLE bench_people AS
  SELECT (row_number() OVER (ORDER BY id)) - 1 AS n, id FROM registry_person
  WHERE died_on IS NULL AND birth_on <= '1999-01-01';
CREATE TEMP TABLE bench_employers AS
  SELECT (row_number() OVER (ORDER BY id)) - 1 AS n, id FROM registry_employer
  WHERE name <> 'Bench Tikinti MMC';
INSERT INTO labour_contract (employer_id, person_id, occupation_id, position, workplace,
    monthly_wage_qepik, weekly_hours, term, probation_months, is_main_job, concluded_on,
    start_on, status, registered_at, is_late, version)
  SELECT e.id, p.id, %(occupation)s, 'Bench', 'Bakı', 40000 + (g %% 800000), 40, 'indefinite',
    0, false, DATE '2019-01-01', DATE '2019-01-01', 'active', now(), false, 1
  FROM generate_series(0, %(count)s - 1) AS g
  JOIN bench_people p ON p.n = g %% %(people)s
  JOIN bench_employers e ON e.n = (g / %(people)s) %% %(employers)s;
INSERT INTO labour_contractversion (contract_id, number, notice, effective_on, registered_at,
    assurance, is_late, occupation_id, position, workplace, monthly_wage_qepik, weekly_hours,
    term, fixed_end_on, probation_months, is_main_job)
  SELECT id, 1, 'conclusion', start_on, registered_at, 'register_import', false, occupation_id,
    position, workplace, monthly_wage_qepik, weekly_hours, term, fixed_end_on, probation_months,
    is_main_job
  FROM labour_contract WHERE position = 'Bench';
"""


def contracts_top_up(target: int, occupation_id: int) -> tuple[int, float]:
    from django.db import connection, transaction

    from meis.labour.models import Contract

    missing = target - Contract.objects.count()
    if missing <= 0:
        return 0, 0.0
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM registry_person WHERE died_on IS NULL "
            "AND birth_on <= '1999-01-01'"
        )
        people = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) - 1 FROM registry_employer")
        employers = int(cursor.fetchone()[0])
        if people * employers < missing:
            raise SystemExit(f"{people} adults × {employers} employers < {missing}: raise --people")
        for statement in TOP_UP_SQL.split(";"):
            if statement.strip():
                cursor.execute(
                    statement,
                    {
                        "occupation": occupation_id,
                        "count": missing,
                        "people": people,
                        "employers": employers,
                    },
                )
        cursor.execute("ANALYZE labour_contract; ANALYZE labour_contractversion")
    return missing, time.perf_counter() - started


# --- Main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=180_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--accrual-contracts", type=int, default=1_900_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    server_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not server_url.startswith(("postgres://", "postgresql://")):
        print("bench/labour.py needs PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    url = with_database(server_url, BENCH_DB)
    recreate(server_url, BENCH_DB)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "DATABASE_CONN_MAX_AGE": "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([str(MEIS), "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    os.environ.update({"DATABASE_URL": url, "DEBUG": "1", "DATABASE_CONN_MAX_AGE": "0"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")
    import django

    django.setup()
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            recreate(server_url, BENCH_DB, drop_only=True)


def run(args: argparse.Namespace) -> int:
    from meis.labour import bulk
    from meis.labour.models import Assurance, BatchMode, Contract, Occupation

    print(f"database {BENCH_DB}; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}")
    generated = people_generate(args.people, args.seed)
    line("registry_generate (people)", f"{args.people:,}", f"{generated:.1f} s")
    content, person_ids = hires_csv(args.contracts)
    employer = bench_employer()
    occupation_id = Occupation.objects.get(code="2512").pk

    started = time.perf_counter()
    read = bulk.drafts_read(name="hires.csv", content=content)
    reading = time.perf_counter() - started
    assert not read.problems, read.problems[:5]  # noqa: S101 — the bench's own file
    line(
        "drafts_read (CSV → drafts)",
        f"{args.contracts / reading:,.0f} rows/s",
        f"{reading:.2f} s for {len(content) / 1e6:.1f} MB",
    )

    baseline = copy_baseline(employer.pk, person_ids, occupation_id)  # type: ignore[attr-defined]
    line("baseline: COPY into labour_contract", f"{args.contracts / baseline:,.0f} rows/s",
         f"{baseline:.2f} s (rolled back)")  # fmt: skip

    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    registered = bulk.upload_register(
        employer=employer,  # type: ignore[arg-type]
        read=read,
        actor=None,
        assurance=Assurance.ONE_TIME_CODE,
        mode=BatchMode.ALL_OR_NOTHING,
        file_name="hires.csv",
    )
    if profiler:
        profiler.disable()
    registering = time.perf_counter() - started
    count = registered.batch.registered
    assert count == args.contracts, registered.problems[:5]  # noqa: S101
    rate = count / registering
    line(
        "conclusions_register (check+write+audit+msg)",
        f"{rate:,.0f} contracts/s",
        f"{registering:.1f} s; target ≥ 2,000/s: {'met' if rate >= 2000 else 'NOT met'}; "
        f"{baseline / registering:.0%} of the COPY floor's rate",
    )
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(25)

    if args.accrual_contracts:
        added, topping = contracts_top_up(args.accrual_contracts, occupation_id)
        line("top-up by INSERT … SELECT", f"{added:,} contracts", f"{topping:.1f} s")
    total = Contract.objects.count()
    accrue = _accrual()
    if accrue is None:
        line("contributions_accrue", "TODO", "meis.labour.accrual.contributions_accrue missing")
    else:
        started = time.perf_counter()
        accrual_run = accrue(month_on=MONTH_ON)
        accruing = time.perf_counter() - started
        line(
            f"contributions_accrue ({MONTH_ON:%Y-%m})",
            f"{accruing:.1f} s",
            f"{total:,} contracts in the register, {accrual_run.contracts:,} worked, "
            f"{accrual_run.people:,} people; target ≤ 30 s for 1.9 M: "
            + ("met" if accruing <= 30 or total < 1_900_000 else "NOT met"),
        )
    line("peak memory (this process)", f"{peak_mib():,.0f} MiB")
    print(f"load average after {os.getloadavg()[0]:.1f}")
    return 0


def _accrual() -> Any:
    try:
        from meis.labour.accrual import contributions_accrue
    except ImportError:  # another part of issue 15 writes it
        return None
    return contributions_accrue


if __name__ == "__main__":
    sys.exit(main())
