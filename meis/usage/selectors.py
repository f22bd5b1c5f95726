"""Reads of the usage statistics, from the rollups, never the raw events: a period's whole
months from the monthly rollups and only its edge days from the daily ones, and series from the
narrow day totals — so a whole-year query reads a few tens of thousands of rows however many
million uses the year had (`bench/stats.py` measures them)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, QuerySet, Sum

from meis.usage.models import (
    E_SERVICE_USES,
    DecisionTimeDaily,
    DecisionTimeMonthly,
    RollupState,
    UsageDaily,
    UsageDayTotal,
    UsageKind,
    UsageMonthly,
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


def _parts(period: Period) -> tuple[tuple[datetime.date, datetime.date] | None, list[Any]]:
    """The period's whole months (first and last month) and its edge days (ranges of days)."""
    first_whole = period.start if period.start.day == 1 else _next_month(period.start)
    after = period.end + datetime.timedelta(days=1)
    last_whole_end = period.end if after.day == 1 else period.end.replace(day=1) - ONE_DAY
    if first_whole > last_whole_end:
        return None, [(period.start, period.end)]
    edges = []
    if period.start < first_whole:
        edges.append((period.start, first_whole - ONE_DAY))
    if last_whole_end < period.end:
        edges.append((last_whole_end + ONE_DAY, period.end))
    return (first_whole, last_whole_end.replace(day=1)), edges


ONE_DAY = datetime.timedelta(days=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _where(rows: QuerySet[Any], period: Period, kinds: Iterable[str] | None) -> QuerySet[Any]:
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if period.region:
        rows = rows.filter(region=period.region)
    if period.centre:
        rows = rows.filter(centre_code=period.centre)
    return rows


def _sources(
    period: Period, kinds: Iterable[str] | None, monthly: type[Any], daily: type[Any]
) -> list[QuerySet[Any]]:
    """The querysets that together hold the period: whole months from `monthly`, the edge days
    from `daily` (both filtered by kind, region and centre)."""
    months, edges = _parts(period)
    kinds = list(kinds) if kinds is not None else None
    sources = []
    if months is not None:
        sources.append(_where(monthly.objects.filter(month__range=months), period, kinds))
    for first, last in edges:
        sources.append(_where(daily.objects.filter(day__range=(first, last)), period, kinds))
    return sources


SUMS = ("events", "on_time", "measured", "measure_sum")


def _aggregate(
    period: Period,
    kinds: Iterable[str] | None,
    by: tuple[str, ...],
    sums: tuple[str, ...] = ("events",),
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Sums of the usage rollups over the period, grouped `by` some dimensions."""
    totals: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: dict.fromkeys(sums, 0))
    for rows in _sources(period, kinds, UsageMonthly, UsageDaily):
        annotations = {name: Sum(name) for name in sums}
        if by:
            for row in rows.values(*by).annotate(**annotations).order_by():
                key = tuple(row[name] for name in by)
                for name in sums:
                    totals[key][name] += int(row[name] or 0)
        else:
            row = rows.aggregate(**annotations)
            for name in sums:
                totals[()][name] += int(row[name] or 0)
    return dict(totals)


def uses_total(period: Period) -> int:
    """E-service uses in the period (what the ministry's headline counts)."""
    return _aggregate(period, E_SERVICE_USES, ()).get((), {}).get("events", 0)


def uses_by(
    period: Period, dimension: str, *, kinds: Iterable[str] = E_SERVICE_USES
) -> list[tuple[str, int]]:
    """Uses by one dimension (service_code, channel, region, centre_code, kind, outcome),
    the largest first."""
    assert dimension in {"service_code", "channel", "region", "centre_code", "kind", "outcome"}  # noqa: S101
    totals = _aggregate(period, kinds, (dimension,))
    counted = [(key[0], sums["events"]) for key, sums in totals.items() if sums["events"]]
    return sorted(counted, key=lambda item: (-item[1], item[0]))


def uses_over_time(
    period: Period, *, step: str, kinds: Iterable[str] = E_SERVICE_USES
) -> list[tuple[datetime.date, int]]:
    """Uses per day, week (starting Monday) or month; steps with no use are 0. Read from the
    narrow day totals (kind × region × centre), a few hundred rows a day."""
    rows = _where(
        UsageDayTotal.objects.filter(day__gte=period.start, day__lte=period.end), period, kinds
    )
    per_day = dict(rows.values("day").annotate(n=Sum("events")).values_list("day", "n"))
    counted: dict[datetime.date, int] = defaultdict(int)
    for day, count in per_day.items():
        counted[_step_start(day, step)] += int(count or 0)
    return [(start, counted.get(start, 0)) for start in steps(period, step)]


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
        month = _next_month(month)
    return months


def _step_start(day: datetime.date, step: str) -> datetime.date:
    if step == "week":
        return day - datetime.timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    return day


def proactive_by_group(period: Period) -> dict[str, int]:
    """Proactive assignments by the seed's headings (PROACTIVE_GROUPS)."""
    by_service = dict(uses_by(period, "service_code", kinds=[UsageKind.PROACTIVE]))
    return {
        group: sum(by_service.get(code, 0) for code in codes)
        for group, codes in PROACTIVE_GROUPS.items()
    }


def kind_total(period: Period, kind: UsageKind) -> int:
    return _aggregate(period, [kind], ()).get((), {}).get("events", 0)


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
    counts = _aggregate(period, [UsageKind.DECISION], (by,), ("events", "on_time"))
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for rows in _sources(period, None, DecisionTimeMonthly, DecisionTimeDaily):
        for row in rows.values(by, "working_days").annotate(n=Sum("decisions")).order_by():
            histograms[row[by]][row["working_days"]] += int(row["n"])
    return [
        Timeliness(
            key=key[0],
            decisions=sums["events"],
            on_time=sums["on_time"],
            median_working_days=median_of(dict(histograms.get(key[0], {}))),
        )
        for key, sums in sorted(counts.items())
        if sums["events"]
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
    totals = _aggregate(period, [kind], (by,), ("events", "measured", "measure_sum"))
    rows = sorted(totals.items(), key=lambda item: (-item[1]["events"], item[0]))
    return [
        Volume(
            key=key[0],
            count=sums["events"],
            average_seconds=sums["measure_sum"] / sums["measured"] if sums["measured"] else None,
        )
        for key, sums in rows
        if sums["events"]
    ]


@dataclass(frozen=True)
class Callbacks:
    """Call backs promised on 142 calls about one topic (or all): how many were promised, called
    back (of them by the deadline) and closed as not reached, and the seconds waited until the
    call back, summed over those called back (`waited_for`)."""

    key: str
    requested: int = 0
    done: int = 0
    on_time: int = 0
    unreachable: int = 0
    waited_for: int = 0  # how many waits are summed in waited_seconds
    waited_seconds: int = 0

    @property
    def average_wait_seconds(self) -> float | None:
        return self.waited_seconds / self.waited_for if self.waited_for else None

    def __add__(self, other: Callbacks) -> Callbacks:
        counts = ("requested", "done", "on_time", "unreachable", "waited_for", "waited_seconds")
        return Callbacks(
            key=self.key, **{name: getattr(self, name) + getattr(other, name) for name in counts}
        )


def callbacks(period: Period) -> list[Callbacks]:
    """Call backs by topic (`service_code`), the most promised first: the promises made in the
    period, and the call backs closed in it ("done" or "unreachable", the call back's status)."""
    promised = dict(uses_by(period, "service_code", kinds=[UsageKind.CALLBACK_REQUESTED]))
    closed = _aggregate(period, [UsageKind.CALLBACK_CLOSED], ("service_code", "outcome"), SUMS)
    rows = {topic: Callbacks(key=topic, requested=count) for topic, count in promised.items()}
    for (topic, outcome), sums in closed.items():
        done = outcome == "done"
        rows[topic] = rows.get(topic, Callbacks(key=topic)) + Callbacks(
            key=topic,
            done=sums["events"] if done else 0,
            on_time=sums["on_time"] if done else 0,
            unreachable=0 if done else sums["events"],
            waited_for=sums["measured"] if done else 0,
            waited_seconds=sums["measure_sum"] if done else 0,
        )
    return sorted(rows.values(), key=lambda row: (-row.requested, -row.done, row.key))


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
