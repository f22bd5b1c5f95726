"""Benchmark: generate the synthetic contracts register on PostgreSQL.

    .venv/bin/python bench/labour_generate.py [--people 200000] [--seed 1]

Creates `meis_bench_labour_generate` (dropped first) on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/), migrates it and, each in a child process:

(a) baseline: `meis registry generate --no-facts` of the people — the registry's own bulk
    load, the same COPY writer on the same server in the same run, as rows per second;
(b) setup, not measured: `meis proactive generate-facts` (the insurance accounts the contracts
    then date);
(c) `meis labour_generate`: the contract histories since 2014, their notifications and the
    insurance accounts they open — contracts per second and rows per second.

Prints the row counts, the wall times, the rates beside the baseline, the peak resident memory
of each generating process (os.wait4 rusage of that one process; the PostgreSQL server's memory
is not included) and the load average before and after: the machine has two cores and other
work may share them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
MEIS = Path(sys.executable).with_name("meis")
BENCH_DB = "meis_bench_labour_generate"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
AS_OF = "2020-03-01"
REGISTRY_TABLES = (
    "registry_person",
    "registry_household",
    "registry_identitydocument",
    "registry_householdmembership",
    "registry_employer",
)
REGISTER_TABLES = ("labour_contract", "labour_contractversion")


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def recreate(url: str, name: str) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS in KiB of one child process; exits if it fails."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command[1:3])} failed with exit status {status}")
    return elapsed, usage.ru_maxrss


def counts(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        found = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            row = connection.execute(query).fetchone()
            found[table] = int(row[0]) if row else 0
        row = connection.execute(
            "SELECT count(*) FROM insurance_insuranceaccount WHERE opened_on IS NOT NULL"
        ).fetchone()
        found["insurance accounts opened"] = int(row[0]) if row else 0
    return found


def load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    server_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not server_url.startswith(("postgres://", "postgresql://")):
        print(
            "bench/labour_generate.py needs PostgreSQL: DATABASE_URL=postgres://…", file=sys.stderr
        )
        return 2
    url = with_database(server_url, BENCH_DB)
    recreate(server_url, BENCH_DB)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "DATABASE_CONN_MAX_AGE": "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([str(MEIS), "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    seed = str(args.seed)
    load_before = load()

    registry_s, registry_kib = run_measured(
        [
            str(MEIS),
            "registry",
            "generate",
            "--people",
            str(args.people),
            "--seed",
            seed,
            "--as-of",
            AS_OF,
            "--quiet",
            "--no-facts",
        ],
        env,
    )
    registry_rows = sum(counts(url, REGISTRY_TABLES)[t] for t in REGISTRY_TABLES)
    subprocess.run(
        [str(MEIS), "proactive", "generate-facts", "--seed", seed, "--on", AS_OF],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    labour_s, labour_kib = run_measured(
        [str(MEIS), "labour_generate", "--seed", seed, "--as-of", AS_OF, "--quiet"], env
    )
    load_after = load()

    written = counts(url, REGISTER_TABLES)
    contracts = written["labour_contract"]
    labour_rows = sum(written.values())
    print(f"database            {BENCH_DB}, {args.people:,} people, as of {AS_OF}")
    for table, count in written.items():
        print(f"{table:<28}{count:>12,}")
    print(f"{'':<28}{'wall s':>12}{'rows/s':>12}{'peak MiB':>12}")
    print(
        f"{'(a) registry (baseline)':<28}{registry_s:>12.1f}"
        f"{registry_rows / registry_s:>12,.0f}{registry_kib / 1024:>12,.0f}"
    )
    print(
        f"{'(c) contracts register':<28}{labour_s:>12.1f}"
        f"{labour_rows / labour_s:>12,.0f}{labour_kib / 1024:>12,.0f}"
    )
    print(
        f"contracts per second  {contracts / labour_s:,.0f} "
        f"({contracts / args.people:.3f} contracts per person; child process incl. start-up)"
    )
    print(
        f"{os.cpu_count()} CPUs; load average (1, 5, 15 min): before {load_before}, "
        f"after {load_after}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
