"""The task worker behind `meis worker`: django-tasks-db's worker, made to outlive the database.

django-tasks-db's `Worker.run` lets any database error other than a locked SQLite file escape,
and the process ends: during an outage the worker exited and stayed down. `ResilientWorker`
keeps the library's claim loop and task running and adds, around them (ADR 0021):

- **Outages**: an `OperationalError`/`InterfaceError` out of the loop closes the broken
  connections, waits with capped exponential backoff and jitter until the database answers,
  hands back the task it was running (`leases.tasks_release`) and resumes.
- **Retries**: a task that failed on a database error runs again (`leases.task_retry_if_database_failed`).
- **A pulse**: a thread renews this worker's lease on its tasks, reclaims the tasks of workers
  that stopped answering, and keeps the /health/ heartbeat fresh while the worker idles.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from meis.core.leases import (
    DATABASE_ERRORS,
    task_retry_if_database_failed,
    tasks_reclaim,
    tasks_release,
    worker_forget,
    worker_seen,
)
from meis.core.tasks import heartbeat_keep_fresh

logger = logging.getLogger("meis.core.worker")


@dataclass
class Backoff:
    """Capped exponential backoff with jitter: each delay is drawn between half and all of
    min(cap, base × 2^attempt), so many workers do not reconnect in step."""

    base: float = 0.5
    cap: float = 10.0
    attempt: int = 0

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * 2**self.attempt)
        self.attempt += 1
        return float(ceiling) / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 — jitter, not a secret


class Pulse:
    """A daemon thread that beats every `interval` seconds on its own database connection, so
    it goes on while the worker runs a long task; a failed beat is logged and tried again."""

    def __init__(self, *, worker_id: str, interval: float) -> None:
        self.worker_id = worker_id
        self.interval = interval
        self.started_at = timezone.now()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="meis-worker-pulse", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=10)

    def beat(self) -> None:
        """Renew the lease, reclaim the tasks of vanished workers, keep the heartbeat fresh."""
        worker_seen(
            worker_id=self.worker_id,
            hostname=socket.gethostname(),
            pid=os.getpid(),
            started_at=self.started_at,
        )
        now = timezone.now()
        tasks_reclaim(now=now)
        heartbeat_keep_fresh(now=now)

    def _run(self) -> None:
        backoff = Backoff(cap=min(self.interval, Backoff.cap))
        try:
            while True:
                wait = self.interval
                try:
                    self.beat()
                    backoff.attempt = 0
                except Exception as error:  # the pulse must outlive whatever a beat meets
                    wait = backoff.next_delay()  # soon, so the lease and heartbeat resume soon
                    logger.warning("Worker pulse failed, tried again in %.1f s: %s", wait, error)
                    connection.close()
                if self._stopped.wait(wait):
                    return
        finally:
            connection.close()


def pulse_interval() -> float:
    """Six beats per lease (and per heartbeat age), so one or two lost beats change nothing."""
    shortest = min(settings.MEIS_TASK_LEASE_SECONDS, settings.MEIS_WORKER_HEARTBEAT_MAX_AGE_SECONDS)
    return max(0.2, float(shortest) / 6)


class ResilientWorker(Worker):
    """django-tasks-db's worker that waits out database outages instead of exiting."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pulse = Pulse(worker_id=self.worker_id, interval=pulse_interval())

    def run(self) -> None:
        if not self.batch:  # `--batch` (cron, tests) drains the queue and exits: no lease to keep
            self.pulse.start()
        try:
            while self.running:
                try:
                    super().run()
                    return  # --batch or --max-tasks ended the loop
                except DATABASE_ERRORS as error:
                    self.startup_delay = False
                    self._wait_for_database(error)
        finally:
            if not self.batch:
                self.pulse.stop()
                self._forget()

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        super().run_task(db_task_result)
        task_retry_if_database_failed(db_task_result)

    def _wait_for_database(self, error: BaseException) -> None:
        """Close the broken connections and try again, backing off, until the database answers;
        then hand back the task the outage interrupted."""
        logger.warning("The database is unreachable, waiting for it: %s", error)
        backoff = Backoff()
        down_since = time.monotonic()
        while self.running:
            connections.close_all()
            time.sleep(backoff.next_delay())
            try:
                handed_back = tasks_release(worker_id=self.worker_id)
            except DATABASE_ERRORS as still_down:
                logger.info("The database is still unreachable: %s", still_down)
                continue
            logger.warning(
                "The database answers again after %.1f s; %d interrupted task(s) handed back.",
                time.monotonic() - down_since,
                handed_back,
            )
            return

    def _forget(self) -> None:
        try:
            worker_forget(worker_id=self.worker_id)
        except DATABASE_ERRORS:
            logger.warning("Could not remove worker %s from the table on exit.", self.worker_id)
