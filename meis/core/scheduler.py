"""A small registry of periodic jobs, run by `meis scheduler` (ADR 0004, ADR 0005).

Apps register their jobs in `AppConfig.ready()`:

    job_register(name="notifications.outbox_sweep", func=outbox_sweep, interval=timedelta(seconds=30))

Every job must be idempotent — safe to run twice, or in two scheduler processes at once — because
`meis scheduler --once` (cron, tests) runs every job and a restarted scheduler runs them again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

logger = logging.getLogger(__name__)


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


def jobs_due(*, last_run: dict[str, datetime], now: datetime) -> list[Job]:
    """Jobs never run by this process, or whose interval has passed since their last run."""
    return [
        job
        for job in jobs_registered()
        if job.name not in last_run or now - last_run[job.name] >= job.interval
    ]


def job_run(job: Job) -> bool:
    """Run one job; a failure is logged and retried at the next interval, never fatal."""
    try:
        result = job.func()
    except Exception:
        logger.exception("Scheduled job %s failed", job.name)
        return False
    logger.info("Scheduled job %s done: %s", job.name, result)
    return True
