"""bench/load.py runs as shipped: a short smoke run of the seed's mix against `make serve`'s
set-up (scripts/serve) on a PostgreSQL database of its own, so the load test cannot rot."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _server_url(name: str) -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{name}"
    )


@pytest.mark.slow
def test_the_load_test_drives_the_production_set_up_with_every_kind_of_use():
    if connection.vendor != "postgresql":
        pytest.skip("the load test serves from PostgreSQL, as in production")
    name = f"meis_load_smoke_{uuid.uuid4().hex[:8]}"
    url = _server_url(name)
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    try:
        run = subprocess.run(  # noqa: S603 — the project's own benchmark
            [sys.executable, "bench/load.py", "--scenario", "mix", "--duration", "8"]
            + ["--warm-up", "2", "--users", "4", "--citizens", "120", "--readers", "20"]
            + ["--ceiling-seconds", "2"],
            env={**env, "BENCH_DATABASE_URL": url, "BENCH_REDIS_DB": "14"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        out = run.stdout
        assert "ceiling before: bare Django view" in out
        assert "ceiling after: bare Django view" in out
        for kind in ("sign-in", "status read", "application"):  # the commonest kinds
            assert f"  {kind} " in out, kind
        assert "uses would take" in out
        assert "a projection from this run" in out
    finally:
        with psycopg.connect(
            _server_url("postgres").replace("postgres://", "postgresql://", 1), autocommit=True
        ) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
