"""Date arithmetic as Polars expressions: ages in completed months, pension-age dates.

Convention (a documented default, docs/domain.md is silent): an age of N months is reached on the
same day of the month N months after birth, or on the last day of that month when it has no
such day — so a person born on 29 February turns a year older on 28 February in common years
(the civil-code rule for periods counted in months).
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from datetime import date
from functools import cache

import polars as pl

from meis.rules.errors import SchemeError
from meis.rules.store import Period

# The Gregorian calendar repeats exactly every 400 years (146,097 days, 4,800 months), so a few
# tables over one cycle turn date arithmetic into integer arithmetic and look-ups, exact for any
# date. Polars' dt.year / dt.month / dt.day convert every row through a calendar and cost several
# times more over millions of rows. (Polars' integer % and floordiv round towards −∞.)
CYCLE_DAYS = 146_097
CYCLE_MONTHS = 4_800
_CYCLE_START = date(1600, 1, 1)  # a 1 January of a year divisible by 400
_CYCLE_START_DAY = (_CYCLE_START - date(1970, 1, 1)).days  # Polars dates count from 1970-01-01
_CYCLE_START_MONTH = _CYCLE_START.year * 12


@cache
def _cycle_tables() -> tuple[pl.Series, pl.Series, pl.Series, pl.Series]:
    """For the cycle from 1600-01-01: per day, its month index and its day of the month; per
    month, the Polars day number of its 1st and its length."""
    month_indexes: list[int] = []
    days_of_month: list[int] = []
    firsts: list[int] = []
    lengths: list[int] = []
    for index in range(_CYCLE_START_MONTH, _CYCLE_START_MONTH + CYCLE_MONTHS):
        year, month = divmod(index, 12)
        length = calendar.monthrange(year, month + 1)[1]
        firsts.append(_CYCLE_START_DAY + len(month_indexes))
        lengths.append(length)
        month_indexes.extend([index] * length)
        days_of_month.extend(range(1, length + 1))
    if len(month_indexes) != CYCLE_DAYS:
        raise SchemeError("a 400-year cycle must have 146,097 days")
    month_table, day_table, first_table, length_table = (
        pl.Series(values, dtype=pl.Int64)
        for values in (month_indexes, days_of_month, firsts, lengths)
    )
    return month_table, day_table, first_table, length_table


def _days_from_cycle_start(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int64) - _CYCLE_START_DAY


def month_index(expr: pl.Expr) -> pl.Expr:
    """Months since year 0 of a date column (year × 12 + month − 1), as Int64."""
    days = _days_from_cycle_start(expr)
    in_cycle = pl.lit(_cycle_tables()[0]).gather(days % CYCLE_DAYS)
    return in_cycle + days.floordiv(CYCLE_DAYS) * CYCLE_MONTHS


def day_of_month(expr: pl.Expr) -> pl.Expr:
    """Day of the month (1–31) of a date column, as Int64."""
    return pl.lit(_cycle_tables()[1]).gather(_days_from_cycle_start(expr) % CYCLE_DAYS)


def completed_months(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Whole months from ``birth`` to ``on`` (Int64), with the month-end convention above."""
    on_month = month_index(on)
    on_day = day_of_month(on)
    is_month_end = on_day == _month_length(on_month)
    day_not_reached = (on_day < day_of_month(birth)) & ~is_month_end
    return on_month - month_index(birth) - day_not_reached.cast(pl.Int64)


def _month_length(index: pl.Expr) -> pl.Expr:
    """Days in the month with this month index."""
    return pl.lit(_cycle_tables()[3]).gather((index - _CYCLE_START_MONTH) % CYCLE_MONTHS)


def add_months(
    start: pl.Expr, months: pl.Expr, *, start_month_index: pl.Expr | None = None
) -> pl.Expr:
    """``start`` plus a per-row number of months, clamped to the month's last day.

    Integer arithmetic and look-ups in the cycle tables (no per-row strings or calendar calls):
    the target month index (year × 12 + month − 1) picks the day number of that month's 1st and
    its length. ``start_month_index`` reuses an already computed ``month_index(start)``.
    """
    _, _, firsts, lengths = _cycle_tables()
    index = start_month_index if start_month_index is not None else month_index(start)
    target = index + months - _CYCLE_START_MONTH
    month = target % CYCLE_MONTHS
    day = pl.min_horizontal(day_of_month(start), pl.lit(lengths).gather(month))
    first = pl.lit(firsts).gather(month) + target.floordiv(CYCLE_MONTHS) * CYCLE_DAYS
    return (first + day - 1).cast(pl.Date)


def scheduled_age(birth_month: pl.Expr, schedule: tuple[Period, ...]) -> tuple[pl.Expr, pl.Expr]:
    """Required age (months) and start date of the period in which a person
    born in ``birth_month`` (a month index) first reaches the age required at that time.

    ``schedule`` is an ``age`` parameter (whole months) that changes on the 1st of a month.
    In period k (from start S_k to the day before S_k+1) a person qualifies from
    max(S_k, birth + age_k) if that is still inside period k, i.e. if
    birth_month < S_k+1 − age_k =: T_k. Because the age never rises faster than time, T_k
    increases, so the first qualifying period is the number of T_k at or below the birth month
    (a sorted search). The search is done once per birth month between the first and the last
    T_k, into tables of age and start, so each row costs a clip and a look-up. Dates before the
    first period are shown as its start. The qualifying date is then max(S_k, birth + age_k).
    """
    starts = [_first_of_month_index(p.start) for p in schedule]
    ages = [_months(p) for p in schedule]
    thresholds = [starts[k + 1] - ages[k] for k in range(len(schedule) - 1)]
    if any(a >= b for a, b in zip(thresholds, thresholds[1:], strict=False)):
        raise SchemeError("the age schedule rises faster than time (T_k must increase)")
    first = thresholds[0] - 1 if thresholds else 0
    last = thresholds[-1] if thresholds else 0
    periods = [bisect_right(thresholds, month) for month in range(first, last + 1)]
    row = (birth_month - first).clip(0, len(periods) - 1)
    age = pl.lit(pl.Series([ages[k] for k in periods], dtype=pl.Int64)).gather(row)
    start_dates = [schedule[k].start for k in periods]
    start = pl.lit(pl.Series(start_dates, dtype=pl.Date)).gather(row)
    return age, start


def _first_of_month_index(start: date) -> int:
    if start.day != 1:
        raise SchemeError(f"age schedules must change on the 1st of a month, not {start}")
    return start.year * 12 + start.month - 1


def _months(period: Period) -> int:
    if not isinstance(period.value, int):
        raise SchemeError("age schedule values are whole months")
    return period.value
