"""Benchmark: generate a synthetic country into a fresh PostgreSQL database.

    .venv/bin/python bench/registry_generate.py [--people 1000000] [--seed 1] [--batch-size N]

Creates `meis_bench_registry` (dropped first) on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/), migrates it, runs `meis registry generate` in a child
process and prints people per second and the child's peak resident memory (os.wait4 rusage of
that one process; the PostgreSQL server's own memory is not included). Indexes and constraints
stay in place during the load: the figure is what a real deployment would see.
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
BENCH_DB = "meis_bench_registry"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate(url: str, name: str) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, exit status and peak RSS in KiB of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, child.returncode, usage.ru_maxrss


def table_counts(url: str) -> tuple[dict[str, int], str]:
    tables = ("registry_person", "registry_household", "registry_identitydocument",
              "registry_householdmembership", "registry_employer")  # fmt: skip
    with psycopg.connect(url) as connection:
        counts = {}
        for table in tables:
            row = connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()
            counts[table] = int(row[0]) if row else 0
        size = connection.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone()
    return counts, str(size[0]) if size else "?"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=100_000)
    args = parser.parse_args()

    server_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not server_url.startswith(("postgres://", "postgresql://")):
        print(
            "bench/registry_generate.py needs PostgreSQL: set DATABASE_URL=postgres://…",
            file=sys.stderr,
        )
        return 2
    url = with_database(server_url, BENCH_DB)
    recreate(server_url, BENCH_DB)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "DATABASE_CONN_MAX_AGE": "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([str(MEIS), "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)

    command = [str(MEIS), "registry", "generate", "--people", str(args.people), "--seed",
               str(args.seed), "--batch-size", str(args.batch_size), "--as-of", "2020-03-01", "--quiet", "--no-facts"]  # fmt: skip
    elapsed, status, max_rss_kib = run_measured(command, env)
    if status != 0:
        print(f"generation failed with exit status {status}", file=sys.stderr)
        return 1
    counts, size = table_counts(url)
    print(f"database            {BENCH_DB} ({size})")
    for table, count in counts.items():
        print(f"{table:<28} {count:>12,}")
    print(f"people              {args.people:,}")
    print(f"wall time           {elapsed:.1f} s (child process, including Django start-up)")
    print(f"people per second   {args.people / elapsed:,.0f}")
    print(f"peak memory         {max_rss_kib / 1024:,.0f} MiB (maxrss of the generating process)")
    print(f"load average        {os.getloadavg()[0]:.1f} (machine has {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
