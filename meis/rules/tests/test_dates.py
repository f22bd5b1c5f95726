"""The date helpers are exact for any date: they agree with Python's calendar row by row."""

from __future__ import annotations

import calendar
import random
from bisect import bisect_right
from datetime import date

import polars as pl
import pytest

from meis.rules.dates import (
    add_months,
    completed_months,
    day_of_month,
    month_index,
    scheduled_age,
)
from meis.rules.store import default_store

_EDGES = [
    date(1960, 2, 29),
    date(1961, 1, 31),
    date(2000, 2, 29),
    date(1900, 2, 28),
    date(1900, 3, 31),
    date(1599, 12, 31),
    date(1600, 1, 1),
    date(1969, 12, 31),
    date(1970, 1, 1),
    date(2400, 2, 29),
]


def _random_dates(count: int, *, seed: int) -> list[date]:
    rng = random.Random(seed)
    low, high = date(200, 1, 1).toordinal(), date(9000, 12, 31).toordinal()
    return [date.fromordinal(rng.randint(low, high)) for _ in range(count)] + _EDGES


def test_month_index_and_day_of_month_match_the_calendar_for_any_date() -> None:
    days = _random_dates(20_000, seed=5)
    result = pl.DataFrame({"day": days}).select(
        month_index(pl.col("day")).alias("month_index"), day_of_month(pl.col("day")).alias("day")
    )
    assert result["month_index"].to_list() == [d.year * 12 + d.month - 1 for d in days]
    assert result["day"].to_list() == [d.day for d in days]


def _add_months(start: date, add: int) -> date:
    year, month = divmod(start.year * 12 + start.month - 1 + add, 12)
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def test_add_months_matches_the_calendar_exactly() -> None:
    rng = random.Random(5)
    starts = _random_dates(20_000, seed=6)
    months = [rng.randint(-1200, 1200) for _ in starts]
    frame = pl.DataFrame({"start": starts, "months": months})
    result = frame.select(add_months(pl.col("start"), pl.col("months")).alias("end"))
    expected = [_add_months(s, m) for s, m in zip(starts, months, strict=True)]
    assert result["end"].to_list() == expected


def test_completed_months_is_the_most_months_added_to_birth_without_passing_the_date() -> None:
    rng = random.Random(7)
    births = _random_dates(20_000, seed=8)
    ons = [date.fromordinal(b.toordinal() + rng.randint(0, 40_000)) for b in births]
    frame = pl.DataFrame({"birth": births, "on": ons})
    result = frame.select(completed_months(pl.col("birth"), pl.col("on")).alias("months"))

    def expected(birth: date, on: date) -> int:
        months = (on.year - birth.year) * 12 + on.month - birth.month
        return months if _add_months(birth, months) <= on else months - 1

    assert result["months"].to_list() == [expected(b, o) for b, o in zip(births, ons, strict=True)]


@pytest.mark.parametrize(
    "name", ["labour_pensions.retirement_age_men", "labour_pensions.retirement_age_women"]
)
def test_scheduled_age_is_the_period_found_by_a_sorted_search_for_every_birth_month(
    name: str,
) -> None:
    schedule = default_store().parameter(name).periods
    ages = [p.value for p in schedule if isinstance(p.value, int)]
    assert len(ages) == len(schedule)
    starts = [p.start.year * 12 + p.start.month - 1 for p in schedule]
    thresholds = [starts[k + 1] - ages[k] for k in range(len(schedule) - 1)]
    births = list(range(1900 * 12, 2050 * 12))
    age, start = scheduled_age(pl.col("birth_month"), schedule)
    result = pl.DataFrame({"birth_month": births}).select(age.alias("age"), start.alias("start"))
    periods = [schedule[bisect_right(thresholds, birth)] for birth in births]
    assert result["age"].to_list() == [p.value for p in periods]
    assert result["start"].to_list() == [p.start for p in periods]
