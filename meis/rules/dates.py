"""Date arithmetic as Polars expressions: ages in completed months, pension-age dates.

Convention (a documented default, DOMAIN.md is silent): an age of N months is reached on the
same day of the month N months after birth, or on the last day of that month when it has no
such day — so a person born on 29 February turns a year older on 28 February in common years
(the civil-code rule for periods counted in months).
"""

from __future__ import annotations

import calendar
from datetime import date
from functools import cache

import polars as pl

from meis.rules.errors import SchemeError
from meis.rules.store import Period


def month_index(expr: pl.Expr) -> pl.Expr:
    """Months since year 0 of a date column (year × 12 + month − 1), as Int64."""
    return expr.dt.year().cast(pl.Int64) * 12 + expr.dt.month().cast(pl.Int64) - 1


def completed_months(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Whole months from ``birth`` to ``on`` (Int64), with the month-end convention above."""
    months = month_index(on) - month_index(birth)
    is_month_end = on.dt.day() == on.dt.month_end().dt.day()
    day_not_reached = (on.dt.day() < birth.dt.day()) & ~is_month_end
    return months - day_not_reached.cast(pl.Int64)


TABLE_FIRST_YEAR = 1600
TABLE_LAST_YEAR = 2399


@cache
def _month_tables() -> tuple[pl.Series, pl.Series]:
    """Per month index from 1600 to 2399: days from 1970-01-01 to its 1st, and its length."""
    firsts, lengths = [], []
    epoch = date(1970, 1, 1).toordinal()
    for year in range(TABLE_FIRST_YEAR, TABLE_LAST_YEAR + 1):
        for month in range(1, 13):
            firsts.append(date(year, month, 1).toordinal() - epoch)
            lengths.append(calendar.monthrange(year, month)[1])
    return pl.Series(firsts, dtype=pl.Int64), pl.Series(lengths, dtype=pl.Int64)


def add_months(
    start: pl.Expr, months: pl.Expr, *, start_month_index: pl.Expr | None = None
) -> pl.Expr:
    """``start`` plus a per-row number of months, clamped to the month's last day.

    Integer arithmetic and two table look-ups per row (no per-row strings or calendar calls):
    the target month index (year × 12 + month − 1) picks the day number of that month's 1st and
    its length from tables covering 1600–2399 (targets outside are clamped to that range).
    ``start_month_index`` reuses an already computed ``month_index(start)``.
    """
    firsts, lengths = _month_tables()
    base = TABLE_FIRST_YEAR * 12
    index = (start_month_index if start_month_index is not None else month_index(start)) + months
    row = (index - base).clip(0, len(firsts) - 1)
    day = pl.min_horizontal(start.dt.day().cast(pl.Int64), pl.lit(lengths).gather(row))
    return (pl.lit(firsts).gather(row) + day - 1).cast(pl.Date)


def scheduled_age(birth_month: pl.Expr, schedule: tuple[Period, ...]) -> tuple[pl.Expr, pl.Expr]:
    """Required age (months) and start date of the period in which a person
    born in ``birth_month`` (a month index) first reaches the age required at that time.

    ``schedule`` is an ``age`` parameter (whole months) that changes on the 1st of a month.
    In period k (from start S_k to the day before S_k+1) a person qualifies from
    max(S_k, birth + age_k) if that is still inside period k, i.e. if
    birth_month < S_k+1 − age_k =: T_k. Because the age never rises faster than time, T_k
    increases, so the first qualifying period is found by a sorted search of the birth month
    among the T_k — a few integer operations per row. Dates before the first period are shown
    as its start. The qualifying date is then max(S_k, birth + age_k).
    """
    starts = [_first_of_month_index(p.start) for p in schedule]
    ages = [_months(p) for p in schedule]
    thresholds = [starts[k + 1] - ages[k] for k in range(len(schedule) - 1)]
    if any(a >= b for a, b in zip(thresholds, thresholds[1:], strict=False)):
        raise SchemeError("the age schedule rises faster than time (T_k must increase)")
    period = pl.lit(pl.Series(thresholds, dtype=pl.Int64)).search_sorted(birth_month, side="right")
    age = pl.lit(pl.Series(ages, dtype=pl.Int64)).gather(period)
    start = pl.lit(pl.Series([p.start for p in schedule], dtype=pl.Date)).gather(period)
    return age, start


def _first_of_month_index(start: date) -> int:
    if start.day != 1:
        raise SchemeError(f"age schedules must change on the 1st of a month, not {start}")
    return start.year * 12 + start.month - 1


def _months(period: Period) -> int:
    if not isinstance(period.value, int):
        raise SchemeError("age schedule values are whole months")
    return period.value
