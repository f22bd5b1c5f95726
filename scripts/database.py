"""Back up MEİS's PostgreSQL database to one file, and restore a backup into a fresh database.

    scripts/backup-database var/backups/meis-2026-12-07.dump
    scripts/restore-database var/backups/meis-2026-12-07.dump meis_restored
    .venv/bin/python -m scripts.database create     (scripts/serve: the database, if missing)

Both read DATABASE_URL (postgres://user@host:5432/meis), the database the site runs on. A backup
is `pg_dump`'s custom format (compressed; tables, indexes, constraints, the audit trail's
triggers, the migrations table), written beside the target and renamed into place once
`pg_restore --list` has read it back, so a failed run never leaves a half file under the name.
A restore never overwrites: it creates the database it is given, which must not exist, on the
same server (or on RESTORE_DATABASE_URL's server, when set), restores in one transaction and
stops at the first error (the new database is then dropped). Point DATABASE_URL at the restored
database and run `meis migrate` (nothing to apply when the code is the backup's) to use it.
Tested by tests/test_deployment.py; docs/deployment.md, "Backups", says when to run it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def database_url(url: str, name: str) -> str:
    """`url` with its database name replaced by `name`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def libpq_url(url: str) -> str:
    """django-environ's schemes (postgres://, postgresql://, pgsql://) as libpq reads them."""
    scheme, rest = url.split("://", 1)
    if scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"DATABASE_URL is not a PostgreSQL address: {scheme}://…")
    return f"postgresql://{rest}"


def backup(url: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        subprocess.run(  # noqa: S603 — PostgreSQL's own tool, our arguments
            ["pg_dump", "--format=custom", "--file", str(partial), "--dbname", libpq_url(url)],  # noqa: S607
            check=True,
        )
        subprocess.run(  # noqa: S603 — the file must read back before it counts as a backup
            ["pg_restore", "--list", str(partial)],  # noqa: S607
            check=True,
            stdout=subprocess.DEVNULL,
        )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    name = urlsplit(url).path.lstrip("/")
    sys.stdout.write(f"backed up {name} to {target} ({target.stat().st_size} bytes)\n")


def create(url: str) -> None:
    """The database `url` names, created when it does not exist yet (`make serve`)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not NAME.match(name):
        raise SystemExit(f"{name!r} is not a plain database name (a-z, 0-9, _).")
    with psycopg.connect(libpq_url(database_url(url, "postgres")), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            sys.stdout.write(f"created the database {name}\n")


def restore(url: str, source: Path, name: str) -> None:
    import psycopg

    if not NAME.match(name):
        raise SystemExit(f"{name!r} is not a plain database name (a-z, 0-9, _).")
    if not source.is_file():
        raise SystemExit(f"{source} does not exist.")
    server = libpq_url(database_url(url, "postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone():
            raise SystemExit(f"The database {name} exists: a restore goes into a new one.")
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(  # noqa: S603 — PostgreSQL's own tool, our arguments
            [  # noqa: S607
                "pg_restore",
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--dbname",
                libpq_url(database_url(url, name)),
                str(source),
            ],
            check=True,
        )
    except BaseException:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        raise
    sys.stdout.write(f"restored {source} into the new database {name}\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("create", help="create DATABASE_URL's database unless it exists")
    commands.add_parser("backup").add_argument("file", type=Path)
    restoring = commands.add_parser("restore")
    restoring.add_argument("file", type=Path)
    restoring.add_argument("database", help="the new database's name (must not exist)")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("Set DATABASE_URL=postgres://user@host:5432/meis (the site's database).")
    try:
        if args.command == "create":
            create(url)
        elif args.command == "backup":
            backup(url, args.file)
        else:
            restore(os.environ.get("RESTORE_DATABASE_URL", url), args.file, args.database)
    except subprocess.CalledProcessError as error:
        raise SystemExit(
            f"{error.cmd[0]} failed (exit {error.returncode}); nothing was kept."
        ) from error


if __name__ == "__main__":
    main()
