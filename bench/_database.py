"""The throwaway PostgreSQL databases the benchmarks build and measure in."""

from __future__ import annotations

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
