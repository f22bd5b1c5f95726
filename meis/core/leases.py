"""Leases on tasks (ADR 0021): a task is never left RUNNING by a worker that is gone.

Each `meis worker` renews its lease by writing `TaskWorker.seen_at` from its pulse. A task still
RUNNING whose worker has not been seen for `MEIS_TASK_LEASE_SECONDS` (killed, machine lost) is
handed back to the queue by any other worker's pulse; a task a database outage interrupted is
handed back by its own worker once the database answers again. A task claimed
`MEIS_TASK_MAX_ATTEMPTS` times is given up (FAILED, with the reason). Tasks are written to be
safe to run twice (STYLE.md), which is what handing one back relies on.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meis.core.models import TaskWorker

logger = logging.getLogger(__name__)

# A task that failed with one of these met the database, not a bug of its own: it runs again.
DATABASE_ERRORS = (OperationalError, InterfaceError)
_DATABASE_ERROR_PATHS = {f"{error.__module__}.{error.__qualname__}" for error in DATABASE_ERRORS}


class TaskGivenUp(Exception):
    """Recorded as the failure of a task claimed MEIS_TASK_MAX_ATTEMPTS times."""


def worker_seen(*, worker_id: str, hostname: str, pid: int, started_at: datetime) -> None:
    """Renew the lease of a worker's tasks (insert its row the first time)."""
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now()},
        create_defaults={
            "hostname": hostname[:255],
            "pid": pid,
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def worker_forget(*, worker_id: str) -> None:
    """A worker stopping cleanly removes its row (it holds no task any more)."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def tasks_reclaim(*, now: datetime) -> int:
    """Hand back every RUNNING task whose worker has not been seen within the lease, and forget
    those workers. Safe in any number of workers at once: each hand-back is conditional."""
    cutoff = now - timedelta(seconds=settings.MEIS_TASK_LEASE_SECONDS)
    alive = set(TaskWorker.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    orphans = [
        task
        for task in DBTaskResult.objects.running().filter(started_at__lt=cutoff)
        if not task.worker_ids or task.worker_ids[-1] not in alive
    ]
    handed_back = sum(_hand_back(task, reason="its worker stopped answering") for task in orphans)
    TaskWorker.objects.filter(seen_at__lt=cutoff).delete()
    return handed_back


def tasks_release(*, worker_id: str) -> int:
    """Hand back the tasks this worker left RUNNING when the database went away under it (the
    worker runs one task at a time, so none of them is running now)."""
    mine = [
        task
        for task in DBTaskResult.objects.running()
        if task.worker_ids and task.worker_ids[-1] == worker_id
    ]
    return sum(_hand_back(task, reason="the database went away while it ran") for task in mine)


def task_retry_if_database_failed(task: DBTaskResult[Any, Any]) -> bool:
    """A task that failed on a database error (connection lost, deadlock, serialisation) is
    handed back instead of staying failed, until it has been tried MEIS_TASK_MAX_ATTEMPTS times."""
    if task.status != TaskResultStatus.FAILED:
        return False
    if task.exception_class_path not in _DATABASE_ERROR_PATHS:
        return False
    return _hand_back(task, reason=f"it failed with {task.exception_class_path}")


def _hand_back(task: DBTaskResult[Any, Any], *, reason: str) -> bool:
    """READY again, or FAILED for good after too many claims; only if nobody changed the row since
    we read it (same status, same claim time, same finish time)."""
    attempts = len(task.worker_ids)
    fields: dict[str, object]
    if attempts < settings.MEIS_TASK_MAX_ATTEMPTS:
        fields = {"status": TaskResultStatus.READY, "finished_at": None}
        fields |= {"exception_class_path": "", "traceback": ""}
    else:
        fields = {"status": TaskResultStatus.FAILED, "finished_at": timezone.now()}
        fields["exception_class_path"] = f"{TaskGivenUp.__module__}.{TaskGivenUp.__qualname__}"
        fields["traceback"] = f"Given up after {attempts} attempts: {reason}."
    changed = DBTaskResult.objects.filter(
        pk=task.pk, status=task.status, started_at=task.started_at, finished_at=task.finished_at
    ).update(**fields)
    if changed:
        logger.warning(
            "Task %s (%s) %s after attempt %d: %s",
            task.pk,
            task.task_path,
            "handed back" if fields["status"] == TaskResultStatus.READY else "given up",
            attempts,
            reason,
        )
    return bool(changed)
