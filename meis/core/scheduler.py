"""A small registry of periodic jobs, run by `meis scheduler` (ADR 0004, ADR 0005).

Apps register their jobs in `AppConfig.ready()`:

    job_register(name="notifications.outbox_sweep", func=outbox_sweep, interval=timedelta(seconds=30))

Every job must be idempotent — safe to run twice — because `meis scheduler --once` (cron, tests)
runs every job whenever it is called.

Any number of `meis scheduler` processes may run, on any number of hosts: each turn of a job is
claimed in the database first (`job_claim`, a conditional UPDATE of its `ScheduledJob` row), so
exactly one process runs it per interval. While it runs, the row's `due_at` is a lease (at least
`LEASE`): a process that dies mid-job leaves the job to the others when the lease ends.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)
# The shortest lease on a claimed job: longer than any job's run, so that a slow run is not
# claimed again by another process while it is still going.
LEASE = timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]
    interval: timedelta


_JOBS: dict[str, Job] = {}


def job_register(*, name: str, func: Callable[[], object], interval: timedelta) -> None:
    """Register (or replace, so a reloaded app does not register twice) a periodic job."""
    _JOBS[name] = Job(name=name, func=func, interval=interval)


def jobs_registered() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


@dataclass
class SchedulerMemory:
    """What one long-running scheduler remembers between ticks, to spare the database.

    `rows`: jobs whose `ScheduledJob` row this process has already made sure of (one INSERT per
    job per process, not per tick). `asleep_until`: after a lost claim, when to ask again — the
    row's `due_at`, but never later than one interval ahead, because the winner's `job_finish`
    moves `due_at` back from its lease to one interval after its start.
    """

    rows: set[str] = field(default_factory=set)
    asleep_until: dict[str, datetime] = field(default_factory=dict)


def job_claim(
    job: Job, *, now: datetime | None = None, memory: SchedulerMemory | None = None
) -> bool:
    """Take this turn of `job` if it is due: True for exactly one of the processes asking."""
    from meis.core.models import ScheduledJob

    now = now or timezone.now()
    if memory is None or job.name not in memory.rows:
        ScheduledJob.objects.bulk_create(
            [ScheduledJob(name=job.name, due_at=now)], ignore_conflicts=True
        )
        if memory is not None:
            memory.rows.add(job.name)
    claimed = ScheduledJob.objects.filter(name=job.name, due_at__lte=now).update(
        due_at=now + max(job.interval, LEASE),
        runs=F("runs") + 1,
        last_started_at=now,
        last_runner=f"{socket.gethostname()}:{os.getpid()}"[:300],
    )
    if claimed != 1 and memory is not None:
        due_at = ScheduledJob.objects.filter(name=job.name).values_list("due_at", flat=True).first()
        memory.asleep_until[job.name] = min(due_at or now, now + job.interval)
    return claimed == 1


def job_finish(job: Job, *, started: datetime, succeeded: bool) -> None:
    """End the lease: the job is next due one interval after this turn started."""
    from meis.core.models import ScheduledJob

    ScheduledJob.objects.filter(name=job.name).update(
        due_at=started + job.interval,
        last_finished_at=timezone.now(),
        last_succeeded=succeeded,
    )


def jobs_run_due(
    *, now: datetime | None = None, memory: SchedulerMemory | None = None
) -> list[str]:
    """Claim and run every job due now; the names of those this process ran.

    With `memory` (the `meis scheduler` loop), a job another process holds is not asked for again
    until it may be due, so an idle tick costs the database nothing.
    """
    ran = []
    for job in jobs_registered():
        started = now or timezone.now()
        if memory is not None and memory.asleep_until.get(job.name, started) > started:
            continue
        if not job_claim(job, now=started, memory=memory):
            continue
        if memory is not None:
            memory.asleep_until[job.name] = started + job.interval
        job_finish(job, started=started, succeeded=job_run(job))
        ran.append(job.name)
    return ran


def job_run(job: Job) -> bool:
    """Run one job; a failure is logged and retried at the next interval, never fatal."""
    try:
        result = job.func()
    except Exception:
        logger.exception("Scheduled job %s failed", job.name)
        return False
    logger.info("Scheduled job %s done: %s", job.name, result)
    return True
