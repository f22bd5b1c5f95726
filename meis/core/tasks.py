"""Background tasks of the shared kernel (django-tasks, database backend; ADR 0004).

`heartbeat` proves that a worker (`meis worker`) is running: /health/ enqueues one when none is
waiting and reports the worker alive while a heartbeat finished recently enough. The worker's
pulse asks for one too once the last is half that old (`heartbeat_keep_fresh`), so an idle but
alive worker is reported alive on the first poll after a quiet period (ADR 0021).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult


@task()
def heartbeat() -> str:
    """Finish at once; also forget heartbeats too old to matter, so the table stays small."""
    DBTaskResult.objects.filter(
        task_path=heartbeat_task_path(),
        finished_at__lt=_heartbeat_cutoff(timezone.now()),
    ).delete()
    return "ok"


def heartbeat_task_path() -> str:
    return str(heartbeat.module_path)


def worker_is_alive(*, now: datetime) -> bool:
    """True when a heartbeat finished successfully within MEIS_WORKER_HEARTBEAT_MAX_AGE_SECONDS."""
    return DBTaskResult.objects.filter(
        task_path=heartbeat_task_path(),
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__gte=_heartbeat_cutoff(now),
    ).exists()


def heartbeat_request() -> None:
    """Enqueue a heartbeat unless one is already waiting for a worker."""
    waiting = DBTaskResult.objects.filter(
        task_path=heartbeat_task_path(), status=TaskResultStatus.READY
    )
    if not waiting.exists():
        heartbeat.enqueue()


def heartbeat_keep_fresh(*, now: datetime) -> None:
    """Ask for a heartbeat once the last one finished more than half the maximum age ago."""
    half_age = timedelta(seconds=settings.MEIS_WORKER_HEARTBEAT_MAX_AGE_SECONDS / 2)
    fresh = DBTaskResult.objects.filter(
        task_path=heartbeat_task_path(),
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__gte=now - half_age,
    )
    if not fresh.exists():
        heartbeat_request()


def _heartbeat_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.MEIS_WORKER_HEARTBEAT_MAX_AGE_SECONDS)
