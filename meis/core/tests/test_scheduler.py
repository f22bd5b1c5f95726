# mypy: disable-error-code="no-untyped-def"
"""However many scheduler processes run, each turn of a periodic job runs once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from meis.core import scheduler
from meis.core.models import ScheduledJob
from meis.core.scheduler import LEASE, Job, job_claim, job_finish, jobs_registered

MEIS = Path(sys.executable).with_name("meis")
SWEEP = Job(name="test.sweep", func=lambda: "swept", interval=timedelta(seconds=30))


def test_a_due_job_is_claimed_by_one_asker_per_turn(db: None) -> None:
    now = timezone.now()

    assert job_claim(SWEEP, now=now)
    assert not job_claim(SWEEP, now=now)  # a second scheduler asking at the same moment

    job_finish(SWEEP, started=now, succeeded=True)
    assert not job_claim(SWEEP, now=now + timedelta(seconds=29))
    assert job_claim(SWEEP, now=now + timedelta(seconds=30))
    row = ScheduledJob.objects.get(name="test.sweep")
    assert (row.runs, row.last_succeeded) == (2, True)


def test_a_job_still_running_is_not_claimed_again_until_its_lease_ends(db: None) -> None:
    started = timezone.now()
    assert job_claim(SWEEP, now=started)  # ... and the process dies without finishing

    assert not job_claim(SWEEP, now=started + SWEEP.interval)
    assert not job_claim(SWEEP, now=started + LEASE - timedelta(seconds=1))
    assert job_claim(SWEEP, now=started + LEASE)


def test_each_registered_job_runs_once_per_turn(db: None, monkeypatch) -> None:
    calls: list[str] = []

    def failing() -> None:
        calls.append("b")
        raise RuntimeError("the registry is away")

    jobs = {
        "test.a": Job("test.a", lambda: calls.append("a"), timedelta(minutes=1)),
        "test.b": Job("test.b", failing, timedelta(minutes=1)),
    }
    monkeypatch.setattr(scheduler, "_JOBS", jobs)
    now = timezone.now()

    assert scheduler.jobs_run_due(now=now) == ["test.a", "test.b"]
    assert scheduler.jobs_run_due(now=now + timedelta(seconds=59)) == []

    assert calls == ["a", "b"]
    failed = ScheduledJob.objects.get(name="test.b")
    assert failed.last_succeeded is False  # logged; due again at the next interval
    assert scheduler.jobs_run_due(now=now + timedelta(minutes=1)) == ["test.a", "test.b"]


def test_a_scheduler_loop_asks_the_database_only_when_a_job_may_be_due(
    db: None, monkeypatch, django_assert_num_queries
) -> None:
    calls: list[str] = []
    sweep = Job("test.sweep", lambda: calls.append("sweep"), timedelta(seconds=30))
    monkeypatch.setattr(scheduler, "_JOBS", {"test.sweep": sweep})
    memory = scheduler.SchedulerMemory()
    now = timezone.now()

    assert scheduler.jobs_run_due(now=now, memory=memory) == ["test.sweep"]
    with django_assert_num_queries(0):  # the idle ticks of the next 30 seconds
        for second in range(1, 30):
            assert scheduler.jobs_run_due(now=now + timedelta(seconds=second), memory=memory) == []

    # Another host takes the next turn and holds its lease; this one asks once, then sleeps ...
    assert job_claim(sweep, now=now + timedelta(seconds=30))
    assert scheduler.jobs_run_due(now=now + timedelta(seconds=31), memory=memory) == []
    with django_assert_num_queries(0):
        assert scheduler.jobs_run_due(now=now + timedelta(seconds=45), memory=memory) == []
    # ... but no longer than one interval: the other host finished, so the job is due again.
    job_finish(sweep, started=now + timedelta(seconds=30), succeeded=True)
    assert scheduler.jobs_run_due(now=now + timedelta(seconds=61), memory=memory) == ["test.sweep"]
    assert calls == ["sweep", "sweep"]


def start_scheduler() -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meis.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PUBLIC_BASE_URL": "https://meis.example.az",
    }
    return subprocess.Popen(  # noqa: S603 — our own executable
        [str(MEIS), "scheduler", "--tick", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_three_scheduler_processes_run_each_job_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: the scheduler processes share the test database.")
    names = {job.name for job in jobs_registered()}
    processes = [start_scheduler() for _ in range(3)]
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            finished = ScheduledJob.objects.filter(last_finished_at__isnull=False)
            if set(finished.values_list("name", flat=True)) >= names:
                break
            time.sleep(0.5)
        time.sleep(2)  # every process has had several more ticks to try again
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)

    runs = dict(ScheduledJob.objects.values_list("name", "runs"))
    assert runs == dict.fromkeys(names, 1)  # every job; each once, however many asked
    runners = set(ScheduledJob.objects.values_list("last_runner", flat=True))
    assert all(runner.rsplit(":", 1)[1].isdigit() for runner in runners)
