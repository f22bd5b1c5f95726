"""The throwaway PostgreSQL databases the benchmarks build and measure in."""

from __future__ import annotations

from collections.abc import Sequence

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def database_create(name: str, reuse: bool) -> bool:
    """Create database `name`, dropping an old one unless `reuse`; True when it is new."""
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and reuse:
            return False
        if exists:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return True


def server_settings(names: Sequence[str]) -> str:
    """The named PostgreSQL settings as the measured run saw them: "name=value, …" (read on
    Django's connection, after `django.setup()`)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, current_setting(name) FROM unnest(%s::text[]) AS name", [list(names)]
        )
        return ", ".join(f"{name}={value}" for name, value in cursor.fetchall())
