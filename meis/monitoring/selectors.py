"""Reads for the machine endpoints: the task queue's and the outbox's pending work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meis.notifications.models import PENDING, Message, Status

# Task states that are work still to do; finished tasks pile up and are not counted.
TASKS_PENDING = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


@dataclass(frozen=True)
class Backlog:
    """Rows waiting by status, and when the oldest one still waiting became due."""

    by_status: dict[str, int]
    oldest_due_at: datetime | None


def task_backlog() -> Backlog:
    """Tasks ready or running, and the oldest ready task's enqueue time (the queue's delay)."""
    rows = DBTaskResult.objects.filter(status__in=TASKS_PENDING)
    counts = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    oldest = rows.filter(status=TaskResultStatus.READY).aggregate(at=Min("enqueued_at"))["at"]
    return Backlog(
        by_status={str(status): counts.get(status, 0) for status in TASKS_PENDING},
        oldest_due_at=oldest,
    )


def outbox_backlog(*, now: datetime) -> Backlog:
    """Messages not yet sent (or failed) by status, and the oldest due one still queued or
    waiting for a retry. Counted over the status index: sent messages are never read."""
    rows = Message.objects.filter(status__in=PENDING)
    counts = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    due = rows.filter(
        status__in=(Status.QUEUED, Status.FAILED_TEMPORARILY), next_attempt_at__lte=now
    )
    return Backlog(
        by_status={str(status): counts.get(status, 0) for status in PENDING},
        oldest_due_at=due.aggregate(at=Min("next_attempt_at"))["at"],
    )
