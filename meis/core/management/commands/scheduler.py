"""`meis scheduler`: run the registered periodic jobs (meis.core.scheduler).

Run as many as you like (one per host is usual): each turn of a job is claimed in the database,
so exactly one of them runs it."""

from __future__ import annotations

import logging
import signal
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from meis.core.scheduler import SchedulerMemory, job_run, jobs_registered, jobs_run_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic jobs (outbox sweep, deadline escalation, proactive run)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run every job once and exit (cron, tests)."
        )
        parser.add_argument(
            "--tick",
            type=float,
            default=1.0,
            help="Seconds between checks for due jobs (default: %(default)s).",
        )

    def handle(self, *args: Any, once: bool, tick: float, **options: Any) -> None:
        if once:
            failed = [job.name for job in jobs_registered() if not job_run(job)]
            if failed:
                self.stderr.write(f"Failed: {', '.join(failed)}")
            return
        self._running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        names = ", ".join(job.name for job in jobs_registered())
        self.stdout.write(f"Scheduler running: {names}")
        memory = SchedulerMemory()
        while self._running:
            close_old_connections()
            try:
                jobs_run_due(memory=memory)
            except DatabaseError:
                # The database is away: the claims cannot be taken, so nothing runs; try again.
                logger.exception("Scheduler could not claim its jobs")
                memory = SchedulerMemory()  # the rows may be gone with the database: ask again
            time.sleep(tick)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._running = False
