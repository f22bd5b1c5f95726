"""/health/: 200 only while the database answers and a task worker finished a recent heartbeat."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meis.core import tasks

NOW = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


def _run_worker_once():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def _heartbeats(status):
    return DBTaskResult.objects.filter(task_path=tasks.heartbeat_task_path(), status=status)


@pytest.mark.django_db(transaction=True)
def test_it_is_unavailable_until_a_worker_runs_the_heartbeat_then_healthy(client):
    with time_machine.travel(NOW, tick=False):
        before = client.get("/health/")
        _run_worker_once()
        after = client.get("/health/")

    assert before.status_code == 503
    assert before.json() == {"status": "fail", "checks": {"database": "ok", "worker": "fail"}}
    assert after.status_code == 200
    assert after.json() == {"status": "ok", "checks": {"database": "ok", "worker": "ok"}}


@pytest.mark.django_db(transaction=True)
def test_it_reports_the_worker_dead_when_the_last_heartbeat_is_stale(client, settings):
    settings.MEIS_WORKER_HEARTBEAT_MAX_AGE_SECONDS = 120
    with time_machine.travel(NOW, tick=False):
        client.get("/health/")
        _run_worker_once()
    with time_machine.travel(NOW + timedelta(seconds=121), tick=False):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "fail"


@pytest.mark.django_db
def test_it_enqueues_one_heartbeat_however_often_it_is_polled(client):
    for _ in range(3):
        client.get("/health/")

    assert _heartbeats(TaskResultStatus.READY).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_forgets_heartbeats_older_than_the_maximum_age(client, settings):
    settings.MEIS_WORKER_HEARTBEAT_MAX_AGE_SECONDS = 120
    with time_machine.travel(NOW, tick=False):
        client.get("/health/")
        _run_worker_once()
    with time_machine.travel(NOW + timedelta(seconds=600), tick=False):
        client.get("/health/")
        _run_worker_once()

    assert _heartbeats(TaskResultStatus.SUCCESSFUL).count() == 1


@pytest.mark.django_db
def test_it_fails_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("meis.core.views.connection.cursor", broken_cursor)
    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "fail", "worker": "fail"}}


def test_it_is_not_language_prefixed_and_never_cached(client, db):
    response = client.get("/health/")

    assert response.status_code == 503  # answered here, not redirected to /az/health/
    assert "no-cache" in response["Cache-Control"]
