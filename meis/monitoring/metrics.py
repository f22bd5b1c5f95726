"""The Prometheus figures: django-prometheus's request metrics and the pending work.

Request counts and latencies are counted by django-prometheus's middleware in every web process.
With several worker processes each counts alone, so production sets PROMETHEUS_MULTIPROC_DIR
(`make serve` does) and a scrape adds up every process's files. The task queue and the outbox
are read from the database at scrape time (`PendingWorkCollector`): they are the same for every
process, and a gauge kept by a process would go stale between two of its requests.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from meis.monitoring import selectors


class PendingWorkCollector(Collector):
    """The task queue and the outbox: rows waiting by status, and the oldest due row's age."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        for name, what, backlog in (
            ("meis_tasks", "Background tasks", selectors.task_backlog()),
            ("meis_outbox_messages", "Outgoing messages", selectors.outbox_backlog(now=now)),
        ):
            waiting = GaugeMetricFamily(name, f"{what} not finished, by status", labels=["status"])
            for status, count in sorted(backlog.by_status.items()):
                waiting.add_metric([status.lower()], count)
            yield waiting
            oldest = backlog.oldest_due_at
            yield GaugeMetricFamily(
                f"{name}_oldest_due_age_seconds",
                f"{what}: seconds since the oldest one still waiting became due (0: none)",
                value=max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
            )


def exposition() -> bytes:
    """The text format Prometheus scrapes: every process's request metrics, the pending work."""
    if settings.PROMETHEUS_MULTIPROC_DIR:
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(  # type: ignore[no-untyped-call]
            processes, path=settings.PROMETHEUS_MULTIPROC_DIR
        )
    else:
        processes = REGISTRY
    pending = CollectorRegistry(auto_describe=True)
    pending.register(PendingWorkCollector())
    return generate_latest(processes) + generate_latest(pending)
