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


class ScheduledJob(models.Model):
    """When a periodic job (meis.core.scheduler) is next due, shared by every scheduler process.

    A scheduler runs a job only after moving its `due_at` forward with one conditional UPDATE
    (`job_claim`): of several schedulers on several hosts, exactly one wins each turn. While the
    job runs, `due_at` is its lease's end; a scheduler that dies mid-job leaves the job to the
    others once the lease is over."""

    name = models.CharField(max_length=100, primary_key=True)
    due_at = models.DateTimeField()
    runs = models.PositiveIntegerField(default=0)  # turns claimed, all processes together
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_succeeded = models.BooleanField(null=True)
    last_runner = models.CharField(max_length=300, blank=True)  # host:pid that ran it last

    def __str__(self) -> str:
        return f"{self.name} (due {self.due_at:%Y-%m-%d %H:%M:%S})"
