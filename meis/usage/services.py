"""Writes of usage: record an event (in the caller's transaction), refresh the rollups.

`usage_record` is called by every service that counts a use, inside the transaction of the use:
the use and its count commit or roll back together. A `source` makes it idempotent — a retried
task or a re-run job that records the same use again changes nothing.

The rollups (`UsageDaily`, `DecisionTimeDaily`) are rebuilt per day from the raw events:
`rollup_refresh` sums again every day that received events since the last refresh, plus today
and yesterday (an event whose transaction committed after a refresh had read past its id is
still today's or yesterday's), so a refresh is idempotent and never double-counts.
`rollup_rebuild` sums every day (after a bulk load, or a data fix)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from meis.usage.models import (
    DecisionTimeDaily,
    DecisionTimeMonthly,
    RollupState,
    UsageDaily,
    UsageDayTotal,
    UsageEvent,
    UsageKind,
    UsageMonthly,
)

STATE = "usage"
# Days per DELETE/INSERT statement of a refresh (SQLite binds at most 32,766 values).
_DAYS_PER_STATEMENT = 400


def usage_record(
    *,
    kind: UsageKind,
    occurred_at: datetime.datetime,
    service_code: str = "",
    channel: str = "",
    region: str = "",
    centre_code: str = "",
    outcome: str = "",
    measure: int | None = None,
    on_time: bool | None = None,
    source: str | None = None,
) -> None:
    """Count one use; a second event with the same `source` is ignored."""
    UsageEvent.objects.bulk_create(
        [
            UsageEvent(
                occurred_at=occurred_at,
                day=timezone.localdate(occurred_at),
                kind=kind,
                service_code=service_code,
                channel=channel,
                region=region or "",
                centre_code=centre_code or "",
                outcome=outcome,
                measure=measure,
                on_time=on_time,
                source=source,
            )
        ],
        ignore_conflicts=source is not None,
    )


@dataclass(frozen=True)
class Refreshed:
    days: int
    events_up_to: int

    def __str__(self) -> str:
        return f"{self.days} day(s) summed, events up to id {self.events_up_to}"


def rollup_refresh(*, today: datetime.date | None = None) -> Refreshed:
    """Sum again the days with new events since the last refresh, and today and yesterday."""
    today = today or timezone.localdate()
    RollupState.objects.get_or_create(name=STATE)
    with transaction.atomic():
        state = RollupState.objects.select_for_update().get(name=STATE)
        top = UsageEvent.objects.aggregate(top=Max("id"))["top"] or 0
        days = set(
            UsageEvent.objects.filter(id__gt=state.last_event_id, id__lte=top)
            .values_list("day", flat=True)
            .distinct()
        )
        days |= {today, today - datetime.timedelta(days=1)}
        _sum_days(sorted(days))
        _sum_day_totals(sorted(days))
        _sum_months(sorted({day.replace(day=1) for day in days}))
        state.last_event_id = top
        state.refreshed_at = timezone.now()
        state.save(update_fields=["last_event_id", "refreshed_at"])
    return Refreshed(days=len(days), events_up_to=top)


def rollup_rebuild() -> Refreshed:
    """Sum every day again from the raw events.

    On PostgreSQL the rollups are emptied with TRUNCATE (a DELETE of millions of rows would leave
    as many dead index entries for the inserts to step over; readers wait for the rebuild instead
    of seeing half of it), the grouping gets the memory to hash in one pass, and the rows go in
    in key order, so the unique index is written sequentially (bench/stats.py measures it)."""
    RollupState.objects.get_or_create(name=STATE)
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        state = RollupState.objects.select_for_update().get(name=STATE)
        top = UsageEvent.objects.aggregate(top=Max("id"))["top"] or 0
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute(
                    f"TRUNCATE {UsageDaily._meta.db_table}, {DecisionTimeDaily._meta.db_table}"
                )
            else:
                for table in (UsageDaily, DecisionTimeDaily, UsageMonthly, UsageDayTotal):
                    table.objects.all().delete()
                DecisionTimeMonthly.objects.all().delete()
            cursor.execute(_USAGE_SUM.format(where="TRUE") + f" ORDER BY {_DIMENSIONS}")
            cursor.execute(_DECISION_SUM.format(where="TRUE") + f" ORDER BY {_DECISION_KEY}")
            if postgres:
                cursor.execute(
                    f"TRUNCATE {UsageMonthly._meta.db_table}, {UsageDayTotal._meta.db_table}, "
                    f"{DecisionTimeMonthly._meta.db_table}"
                )
            cursor.execute(_DAY_TOTAL_SUM.format(where="TRUE"))
        bounds = UsageDaily.objects.aggregate(first=Min("day"), last=Max("day"))
        if bounds["first"] is not None:
            _sum_months(_months_between(bounds["first"], bounds["last"]))
        days = UsageDaily.objects.values("day").distinct().count()
        state.last_event_id = top
        state.refreshed_at = timezone.now()
        state.save(update_fields=["last_event_id", "refreshed_at"])
    return Refreshed(days=days, events_up_to=top)


def _sum_days(days: Sequence[datetime.date]) -> None:
    for part in _chunks(days, _DAYS_PER_STATEMENT):
        UsageDaily.objects.filter(day__in=part).delete()
        DecisionTimeDaily.objects.filter(day__in=part).delete()
        where = f"day IN ({', '.join(['%s'] * len(part))})"
        with connection.cursor() as cursor:
            cursor.execute(_USAGE_SUM.format(where=where), part)
            cursor.execute(_DECISION_SUM.format(where=where), part)


def _sum_day_totals(days: Sequence[datetime.date]) -> None:
    """The narrow day totals (kind × region × centre) of these days, from the daily rollup."""
    for part in _chunks(days, _DAYS_PER_STATEMENT):
        UsageDayTotal.objects.filter(day__in=part).delete()
        where = f"day IN ({', '.join(['%s'] * len(part))})"
        with connection.cursor() as cursor:
            cursor.execute(_DAY_TOTAL_SUM.format(where=where), part)


def _sum_months(months: Sequence[datetime.date]) -> None:
    """Each month (its first day) summed again from the daily rollups of its days."""
    literal = "%s::date" if connection.vendor == "postgresql" else "%s"
    for month in months:
        following = _next_month(month)
        UsageMonthly.objects.filter(month=month).delete()
        DecisionTimeMonthly.objects.filter(month=month).delete()
        with connection.cursor() as cursor:
            cursor.execute(_MONTH_SUM.format(month=literal), [month, month, following])
            cursor.execute(_DECISION_MONTH_SUM.format(month=literal), [month, month, following])


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def _chunks(days: Sequence[datetime.date], size: int) -> Iterable[list[datetime.date]]:
    for start in range(0, len(days), size):
        yield list(days[start : start + size])


_DIMENSIONS = "day, kind, service_code, channel, region, centre_code, outcome"
_USAGE_SUM = (
    f"INSERT INTO {UsageDaily._meta.db_table} "  # noqa: S608 — table names, no input
    f"({_DIMENSIONS}, events, on_time, measured, measure_sum) "
    f"SELECT {_DIMENSIONS}, COUNT(*), "
    "SUM(CASE WHEN on_time THEN 1 ELSE 0 END), COUNT(measure), COALESCE(SUM(measure), 0) "
    f"FROM {UsageEvent._meta.db_table} WHERE {{where}} GROUP BY {_DIMENSIONS}"
)
_KEY = "kind, service_code, channel, region, centre_code, outcome"
_SUMS = "SUM(events), SUM(on_time), SUM(measured), SUM(measure_sum)"
_MONTH_SUM = (
    f"INSERT INTO {UsageMonthly._meta.db_table} "  # noqa: S608 — table names, no input
    f"(month, {_KEY}, events, on_time, measured, measure_sum) "
    f"SELECT {{month}}, {_KEY}, {_SUMS} FROM {UsageDaily._meta.db_table} "
    f"WHERE day >= %s AND day < %s GROUP BY {_KEY}"
)
_DECISION_MONTH_SUM = (
    f"INSERT INTO {DecisionTimeMonthly._meta.db_table} "  # noqa: S608 — table names, no input
    "(month, service_code, region, centre_code, working_days, decisions) "
    "SELECT {month}, service_code, region, centre_code, working_days, SUM(decisions) "
    f"FROM {DecisionTimeDaily._meta.db_table} WHERE day >= %s AND day < %s "
    "GROUP BY service_code, region, centre_code, working_days"
)
_DAY_TOTAL_SUM = (
    f"INSERT INTO {UsageDayTotal._meta.db_table} "  # noqa: S608 — table names, no input
    "(day, kind, region, centre_code, events) "
    f"SELECT day, kind, region, centre_code, SUM(events) FROM {UsageDaily._meta.db_table} "
    "WHERE {where} GROUP BY day, kind, region, centre_code"
)
_DECISION_KEY = "day, service_code, region, centre_code, measure"
_DECISION_SUM = (
    f"INSERT INTO {DecisionTimeDaily._meta.db_table} "  # noqa: S608 — table names, no input
    "(day, service_code, region, centre_code, working_days, decisions) "
    "SELECT day, service_code, region, centre_code, measure, COUNT(*) "
    f"FROM {UsageEvent._meta.db_table} "
    f"WHERE kind = '{UsageKind.DECISION.value}' AND measure IS NOT NULL AND {{where}} "
    f"GROUP BY {_DECISION_KEY}"
)
