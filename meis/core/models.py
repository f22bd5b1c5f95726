"""The kernel's one table: the task workers that are running, and when each was last seen."""

from __future__ import annotations

from django.db import models


class TaskWorker(models.Model):
    """A running `meis worker` process. Its pulse renews `seen_at`: that is the lease on the
    tasks it claimed. A task left RUNNING by a worker not seen within `MEIS_TASK_LEASE_SECONDS`
    is handed back to the queue (ADR 0021)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
