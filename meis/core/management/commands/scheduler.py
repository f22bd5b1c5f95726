"""`meis scheduler`: run the registered periodic jobs (meis.core.scheduler) in one process."""

from __future__ import annotations

import signal
import time
from argparse import ArgumentParser
from datetime import datetime
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from meis.core.scheduler import job_run, jobs_due, jobs_registered


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
        last_run: dict[str, datetime] = {}
        names = ", ".join(job.name for job in jobs_registered())
        self.stdout.write(f"Scheduler running: {names}")
        while self._running:
            close_old_connections()
            for job in jobs_due(last_run=last_run, now=timezone.now()):
                job_run(job)
                last_run[job.name] = timezone.now()
            time.sleep(tick)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._running = False
