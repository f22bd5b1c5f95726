"""Reads of the usage statistics. Everything here reads the daily rollups, never the raw events,
so that a dashboard query costs the same whether the country made a thousand uses or thirty
million (`bench/stats.py` measures them)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from meis.usage.models import (
    E_SERVICE_USES,
    DecisionTimeDaily,
    RollupState,
    UsageDaily,
    UsageKind,
)
from meis.usage.services import STATE

# Proactive grants by the seed's headings (old-age and disability pensions, benefits, stipends).
PROACTIVE_GROUPS: dict[str, tuple[str, ...]] = {
    "old_age_pensions": ("old-age-pension",),
    "disability_pensions": ("disability-pension",),
    "survivor_pensions": ("survivor-pension",),
    "benefits": (
        "age-benefit",
        "disability-benefit",
        "disabled-child-benefit",
        "survivor-benefit",
        "childbirth-benefit",
        "funeral-benefit",
        "unemployment-insurance-benefit",
    ),
    "targeted_assistance": ("targeted-social-assistance",),
    "stipends": ("stipend",),
}


@dataclass(frozen=True)
class Period:
    """The days `start` to `end`, both included, and where: a region and/or a centre (codes)."""

    start: datetime.date
    end: datetime.date
    region: str = ""
    centre: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _rows(period: Period, kinds: Iterable[str] | None = None) -> QuerySet[UsageDaily]:
    rows = UsageDaily.objects.filter(day__gte=period.start, day__lte=period.end)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if period.region:
        rows = rows.filter(region=period.region)
    if period.centre:
        rows = rows.filter(centre_code=period.centre)
    return rows


def _total(rows: QuerySet[UsageDaily]) -> int:
    return int(rows.aggregate(n=Sum("events"))["n"] or 0)


def uses_total(period: Period) -> int:
    """E-service uses in the period (what the ministry's headline counts)."""
    return _total(_rows(period, E_SERVICE_USES))


def uses_by(
    period: Period, dimension: str, *, kinds: Iterable[str] = E_SERVICE_USES
) -> list[tuple[str, int]]:
    """Uses by one dimension (service_code, channel, region, centre_code, kind, outcome),
    the largest first."""
    assert dimension in {"service_code", "channel", "region", "centre_code", "kind", "outcome"}  # noqa: S101
    rows = (
        _rows(period, kinds).values(dimension).annotate(n=Sum("events")).order_by("-n", dimension)
    )
    return [(row[dimension], int(row["n"])) for row in rows]


def uses_over_time(
    period: Period, *, step: str, kinds: Iterable[str] = E_SERVICE_USES
) -> list[tuple[datetime.date, int]]:
    """Uses per day, week (starting Monday) or month; steps with no use are 0."""
    rows = _rows(period, kinds)
    if step == "day":
        counted = dict(rows.values("day").annotate(n=Sum("events")).values_list("day", "n"))
    else:
        trunc = TruncWeek("day") if step == "week" else TruncMonth("day")
        counted = {
            _as_date(row["step"]): row["n"]
            for row in rows.annotate(step=trunc).values("step").annotate(n=Sum("events"))
        }
    return [(start, int(counted.get(start, 0))) for start in steps(period, step)]


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def steps(period: Period, step: str) -> list[datetime.date]:
    """The first day of each day, week (Monday) or month that the period touches."""
    if step == "day":
        return [period.start + datetime.timedelta(days=i) for i in range(period.days)]
    if step == "week":
        first = period.start - datetime.timedelta(days=period.start.weekday())
        count = (period.end - first).days // 7 + 1
        return [first + datetime.timedelta(weeks=i) for i in range(count)]
    months = []
    month = period.start.replace(day=1)
    while month <= period.end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def proactive_by_group(period: Period) -> dict[str, int]:
    """Proactive assignments by the seed's headings (PROACTIVE_GROUPS)."""
    by_service = dict(uses_by(period, "service_code", kinds=[UsageKind.PROACTIVE]))
    return {
        group: sum(by_service.get(code, 0) for code in codes)
        for group, codes in PROACTIVE_GROUPS.items()
    }


def kind_total(period: Period, kind: UsageKind) -> int:
    return _total(_rows(period, [kind]))


@dataclass(frozen=True)
class Timeliness:
    """Decisions of one service or centre: how many, how many within the deadline, the median."""

    key: str
    decisions: int
    on_time: int
    median_working_days: float | None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.decisions if self.decisions else None


def decision_timeliness(period: Period, *, by: str) -> list[Timeliness]:
    """By "service_code" or "centre_code": decisions, on time, median working days."""
    assert by in {"service_code", "centre_code"}  # noqa: S101
    counts = (
        _rows(period, [UsageKind.DECISION])
        .values(by)
        .annotate(n=Sum("events"), on_time=Sum("on_time"))
        .order_by(by)
    )
    histogram_rows = DecisionTimeDaily.objects.filter(day__gte=period.start, day__lte=period.end)
    if period.region:
        histogram_rows = histogram_rows.filter(region=period.region)
    if period.centre:
        histogram_rows = histogram_rows.filter(centre_code=period.centre)
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    for row in histogram_rows.values(by, "working_days").annotate(n=Sum("decisions")):
        histograms[row[by]][row["working_days"]] = int(row["n"])
    return [
        Timeliness(
            key=row[by],
            decisions=int(row["n"]),
            on_time=int(row["on_time"] or 0),
            median_working_days=median_of(histograms.get(row[by], {})),
        )
        for row in counts
    ]


def median_of(histogram: dict[int, int]) -> float | None:
    """The median of values counted in a histogram {value: how many}."""
    total = sum(histogram.values())
    if total == 0:
        return None
    values = sorted(histogram)
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    seen = 0
    lower = upper = None
    for value in values:
        seen += histogram[value]
        if lower is None and seen > lower_rank:
            lower = value
        if seen > upper_rank:
            upper = value
            break
    if lower is None or upper is None:  # unreachable: the ranks are below the total
        return None
    return (lower + upper) / 2


@dataclass(frozen=True)
class Volume:
    """Calls or walk-in visitors of one centre (or the call centre): how many, average seconds."""

    key: str
    count: int
    average_seconds: float | None


def volumes(period: Period, kind: UsageKind, *, by: str) -> list[Volume]:
    """Calls (by outcome or service_code = topic) or walk-in visitors (by centre_code)."""
    rows = (
        _rows(period, [kind])
        .values(by)
        .annotate(n=Sum("events"), measured=Sum("measured"), total=Sum("measure_sum"))
        .order_by("-n", by)
    )
    return [
        Volume(
            key=row[by],
            count=int(row["n"]),
            average_seconds=row["total"] / row["measured"] if row["measured"] else None,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Extent:
    """What the rollups hold: the first and last day, and when they were last refreshed."""

    first: datetime.date | None
    last: datetime.date | None
    refreshed_at: datetime.datetime | None = None

    @property
    def years(self) -> list[int]:
        if self.first is None or self.last is None:
            return []
        return list(range(self.first.year, self.last.year + 1))


def extent() -> Extent:
    bounds = UsageDaily.objects.aggregate(first=Min("day"), last=Max("day"))
    state = RollupState.objects.filter(name=STATE).first()
    return Extent(
        first=bounds["first"],
        last=bounds["last"],
        refreshed_at=state.refreshed_at if state else None,
    )


def daily_rows(*, year: int) -> Iterable[dict[str, Any]]:
    """A year's rollup rows, national and by region (no centre, no outcome): the open data."""
    return (
        UsageDaily.objects.filter(day__year=year)
        .values("day", "kind", "service_code", "channel", "region")
        .annotate(events=Sum("events"))
        .order_by("day", "kind", "service_code", "channel", "region")
    )
