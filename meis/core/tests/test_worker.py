"""`meis worker` (ADR 0021): tasks of a vanished worker are handed back after the lease, a task
that met a database error runs again, and an idle worker keeps /health/ green by itself. The
outage itself is the fault test, meis/notifications/tests/test_outage.py (PostgreSQL)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meis.core import tasks
from meis.core.leases import tasks_reclaim, worker_seen
from meis.core.models import TaskWorker
from meis.core.tests import worker_tasks
from meis.core.worker import Backoff, Pulse

NOW = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def claimed_by(worker_id: str, *, claims: int = 1) -> DBTaskResult[Any, Any]:
    """A heartbeat task a worker claimed (`claims` times in all) and never finished."""
    row = DBTaskResult.objects.get(pk=tasks.heartbeat.enqueue().id)
    for _ in range(claims):
        row.claim(worker_id)
    return row


def test_a_task_left_running_by_a_vanished_worker_is_handed_back_after_the_lease(settings):
    settings.MEIS_TASK_LEASE_SECONDS = 60
    with time_machine.travel(NOW, tick=False):
        task = claimed_by("killed-worker")
    with time_machine.travel(NOW + timedelta(seconds=59), tick=False):
        early = tasks_reclaim(now=NOW + timedelta(seconds=59))
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        late = tasks_reclaim(now=NOW + timedelta(seconds=61))
        run_worker()

    task.refresh_from_db()
    assert (early, late) == (0, 1)
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids[0] == "killed-worker"
    assert len(task.worker_ids) == 2


def test_a_long_task_of_a_worker_still_seen_is_left_running(settings):
    settings.MEIS_TASK_LEASE_SECONDS = 60
    with time_machine.travel(NOW, tick=False):
        task = claimed_by("busy-worker")
    with time_machine.travel(NOW + timedelta(seconds=3600), tick=False):
        worker_seen(worker_id="busy-worker", hostname="host", pid=1, started_at=NOW)
        reclaimed = tasks_reclaim(now=NOW + timedelta(seconds=3600))

    task.refresh_from_db()
    assert reclaimed == 0
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_claimed_too_often_is_given_up_with_the_reason(settings):
    settings.MEIS_TASK_LEASE_SECONDS = 60
    settings.MEIS_TASK_MAX_ATTEMPTS = 3
    with time_machine.travel(NOW, tick=False):
        task = claimed_by("killed-worker", claims=3)
    tasks_reclaim(now=NOW + timedelta(seconds=61))

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "meis.core.leases.TaskGivenUp"
    assert "Given up after 3 attempts: its worker stopped answering" in task.traceback


def test_the_rows_of_vanished_workers_are_forgotten(settings):
    settings.MEIS_TASK_LEASE_SECONDS = 60
    with time_machine.travel(NOW, tick=False):
        worker_seen(worker_id="gone", hostname="host", pid=1, started_at=NOW)
    tasks_reclaim(now=NOW + timedelta(seconds=61))

    assert not TaskWorker.objects.exists()


def test_a_task_that_met_a_database_error_runs_again():
    result = worker_tasks.fails_once_on_the_database.enqueue()

    run_worker()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "done"
    assert len(row.worker_ids) == 2


def test_a_task_with_a_bug_still_fails_once():
    result = worker_tasks.has_a_bug.enqueue()

    run_worker()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.ValueError"
    assert len(row.worker_ids) == 1


def test_an_idle_worker_keeps_health_green_on_the_first_poll_after_a_quiet_period(client, settings):
    settings.MEIS_WORKER_HEARTBEAT_MAX_AGE_SECONDS = 120
    pulse = Pulse(worker_id="idle-worker", interval=20)
    # The worker idles: nobody polls /health/; its pulse beats every 20 s.
    for second in range(0, 181, 20):
        with time_machine.travel(NOW + timedelta(seconds=second), tick=False):
            pulse.beat()
            run_worker()
    with time_machine.travel(NOW + timedelta(seconds=190), tick=False):
        first_poll = client.get("/health/")

    assert first_poll.status_code == 200
    assert first_poll.json()["checks"]["worker"] == "ok"


def test_the_pulse_asks_for_a_heartbeat_only_when_the_last_is_half_the_maximum_age(settings):
    settings.MEIS_WORKER_HEARTBEAT_MAX_AGE_SECONDS = 120
    with time_machine.travel(NOW, tick=False):
        tasks.heartbeat_keep_fresh(now=NOW)
        run_worker()
    for second, expected in ((59, 0), (61, 1)):
        with time_machine.travel(NOW + timedelta(seconds=second), tick=False):
            tasks.heartbeat_keep_fresh(now=NOW + timedelta(seconds=second))
            waiting = DBTaskResult.objects.filter(
                task_path=tasks.heartbeat_task_path(), status=TaskResultStatus.READY
            ).count()
        assert waiting == expected, second


@pytest.mark.django_db(transaction=False)
def test_the_backoff_doubles_up_to_its_cap_with_jitter():
    backoff = Backoff(base=0.5, cap=10.0)

    delays = [backoff.next_delay() for _ in range(8)]

    ceilings = [0.5, 1, 2, 4, 8, 10, 10, 10]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True)), delays
