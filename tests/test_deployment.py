"""The production set-up as an operator runs it: a backup restores into a fresh database with
every row and the audit trail's protection, and `make serve` serves the site with its worker,
scheduler, static files, probes and metrics (docs/deployment.md)."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import stat
import subprocess
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from meis.audit.models import AuditEvent
from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory

ROOT = Path(__file__).resolve().parent.parent
COUNTED = (
    "registry_person",
    "registry_identitydocument",
    "audit_auditevent",
    "django_migrations",
    "notifications_template",
)


def _database_url(name: str) -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{name}"
    )


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as database:
        return {
            table: database.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in COUNTED
        }


def _script(name: str, *args: str, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 — the project's own script
        [str(ROOT / "scripts" / name), *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump's (PostgreSQL)")
    for person in PersonFactory.create_batch(3):
        IdentityDocumentFactory(person=person)
        AuditEvent.objects.create(action="person.read", actor_role="test", person_id=person.pk)
    source = _database_url(connection.settings_dict["NAME"])
    restored_name = f"meis_restore_{uuid.uuid4().hex[:12]}"
    restored = _database_url(restored_name)
    backup = tmp_path / "backups" / "meis.dump"
    try:
        made = _script("backup-database", str(backup), url=source)
        assert made.returncode == 0, made.stderr
        assert backup.stat().st_size > 0
        assert [p.name for p in backup.parent.iterdir()] == ["meis.dump"]  # no partial left

        done = _script("restore-database", str(backup), restored_name, url=source)
        assert done.returncode == 0, done.stderr

        counts = _counts(restored)
        assert counts == _counts(source)
        assert counts["registry_person"] == 3
        assert counts["audit_auditevent"] >= 3
        # The audit trail stays append-only in the restored copy (migration audit/0003).
        with (
            psycopg.connect(restored.replace("postgres://", "postgresql://", 1)) as database,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            database.execute("DELETE FROM audit_auditevent")

        again = _script("restore-database", str(backup), restored_name, url=source)
        assert again.returncode != 0
        assert f"The database {restored_name} exists" in again.stderr
        assert _counts(restored) == counts  # a restore never overwrites
    finally:
        with psycopg.connect(
            _database_url("postgres").replace("postgres://", "postgresql://", 1), autocommit=True
        ) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection_.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection_.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection_.close()


def _wait_for(
    port: int, path: str, server: subprocess.Popen[bytes], seconds: float, log: Path
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = "\n".join(log.read_text().splitlines()[-30:])
            raise AssertionError(f"make serve exited with {server.returncode}:\n{tail}")
        try:
            if _get(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{path} did not answer 200 within {seconds} s")


def _requests_counted(port: int) -> float:
    status, _, body = _get(port, "/metrics")
    assert status == 200, body[:200]
    found = re.search(
        rb'^django_http_requests_total_by_method_total\{method="GET"\} (\S+)$', body, re.M
    )
    return float(found.group(1)) if found else 0.0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_make_serve_runs_the_production_set_up(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("make serve runs on PostgreSQL")
    port = _free_port()
    var = tmp_path / "var"
    # As an operator runs it: none of the test run's settings (meis.test_settings fills in a
    # secret key and turns HTTPS off through the environment), nothing but the machine's own.
    settings_source = (ROOT / "meis" / "settings.py").read_text()
    read_by_settings = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))
    # Nor what the test run sets for itself: the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (set in
    # whichever test process ran one first) fails `check --deploy`, as it should in production.
    test_run_only = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in read_by_settings and name not in test_run_only
    }
    env.update(
        {
            "PORT": str(port),
            "DATABASE_URL": _database_url(connection.settings_dict["NAME"]),
            "VAR_DIR": str(var),
            "CACHE_URL": "rediscache://127.0.0.1:6379/14",
            "WEB_CONCURRENCY": "2",
        }
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 — the project's own make target
            ["make", "serve"],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(port, "/readyz", server, seconds=300, log=log)

        # A load balancer's probes, by the server's address rather than the site's name.
        assert _get(port, "/healthz", Host="10.0.3.17:8000")[0] == 200
        status, _, body = _get(port, "/readyz")
        assert json.loads(body)["checks"] == {"database": "ok", "cache": "ok"}
        # Production settings: an unknown host is refused, the secret key was generated once.
        assert _get(port, "/az/", Host="meis.attacker.example")[0] == 400
        assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600

        # Static files: hashed names, compressed, cached for a year.
        status, _, page = _get(port, "/az/")
        assert status == 200
        stylesheet = re.search(rb'href="(/static/meis/css/meis\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, page[:500]
        status, headers, _ = _get(port, stylesheet.group(1).decode(), **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["content-encoding"] == "gzip"
        assert "immutable" in headers["cache-control"]

        # The metrics add up both web workers' requests (PROMETHEUS_MULTIPROC_DIR).
        before = _requests_counted(port)
        for _ in range(12):
            assert _get(port, "/az/")[0] == 200
        assert _requests_counted(port) >= before + 12

        # The task worker runs: the old health check's heartbeat is answered.
        _wait_for(port, "/health/", server, seconds=120, log=log)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # make and honcho; honcho stops the rest
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    text = log.read_text()
    for process in ("web.1", "worker.1", "scheduler.1"):
        assert f"{process} started" in text
        assert f"{process} stopped" in text
    # Structured logs: after honcho's prefix, each line the worker logs is one JSON object.
    logged = re.findall(r"^\S+ worker\.1\s+\| (\{.*\})$", text, re.M)
    assert logged
    assert {"time", "level", "logger", "message"} <= set(json.loads(logged[0]))
    with pytest.raises(ConnectionRefusedError):
        _get(port, "/healthz")


def test_the_deployment_guide_names_every_process_endpoint_and_metric():
    from meis.monitoring.middleware import ENDPOINTS

    guide = (ROOT / "docs" / "deployment.md").read_text()
    procfile = (ROOT / "Procfile").read_text()
    processes = dict(
        line.split(": ", 1) for line in procfile.splitlines() if line and line[0] != "#"
    )
    assert set(processes) == {"web", "worker", "scheduler"}
    for command in processes.values():
        assert command.split(" --")[0] in guide
    for endpoint in ENDPOINTS:
        assert f"`{endpoint}`" in guide
    metrics = (ROOT / "meis" / "monitoring" / "metrics.py").read_text()
    for name in re.findall(r'\("(meis_\w+)"', metrics):
        assert f"`{name}" in guide
        assert f"`{name}_oldest_due_age_seconds`" in guide
