"""Reads for the run report page: aggregates only — no personal data leaves this module."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404

from meis.awards.models import Award, AwardKind, AwardOrigin
from meis.proactive.models import ProactiveRun
from meis.registry.models import Region


@dataclass(frozen=True)
class DayBar:
    day: datetime.date
    grants: int
    x: int
    y: int
    height: int


def run_list(*, limit: int = 30) -> QuerySet[ProactiveRun]:
    return ProactiveRun.objects.order_by("-created_at", "-id")[:limit]


def grants_per_day(*, days: int = 30) -> list[DayBar]:
    """Proactive grants per day of creation, for the bar chart and its table fallback."""
    rows = (
        Award.objects.filter(origin=AwardOrigin.PROACTIVE_RUN)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("-day")[:days]
    )
    counts = sorted((r["day"], int(r["n"])) for r in rows)
    top = max((n for _, n in counts), default=1) or 1
    return [
        DayBar(day=day, grants=n, x=i * 24, y=130 - h, height=h)
        for i, (day, n) in enumerate(counts)
        for h in [max(1, round(n * 120 / top))]
    ]


def run_rows(run: ProactiveRun) -> list[dict[str, Any]]:
    """One row per scheme and region: candidates and outcomes. `scheme` and `region` are the
    translated names of the codes the run's report keeps ("" for all regions)."""
    rows = []
    for scheme, totals in run.report.get("schemes", {}).items():
        name = _label(AwardKind, scheme)
        rows.append({**totals, "scheme": name, "region": ""})
        for region, outcomes in sorted(totals.get("regions", {}).items()):
            rows.append(
                {
                    **outcomes,
                    "scheme": name,
                    "region": _label(Region, region),
                    "candidates": sum(outcomes.values()),
                }
            )
    return rows


def _label(choices: type[AwardKind] | type[Region], code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def run_get(*, run_id: int) -> ProactiveRun:
    """One run by id, for the approval button (404 when there is none)."""
    return get_object_or_404(ProactiveRun, pk=run_id)
