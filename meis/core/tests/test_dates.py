"""Adding months keeps the day, or takes the month's last day when the month is shorter."""

from __future__ import annotations

import datetime

from meis.core.dates import months_add


def test_months_are_added_and_taken_away_on_the_same_day() -> None:
    assert months_add(datetime.date(2026, 3, 15), 6) == datetime.date(2026, 9, 15)
    assert months_add(datetime.date(2026, 3, 15), -3) == datetime.date(2025, 12, 15)
    assert months_add(datetime.date(2026, 11, 30), 14) == datetime.date(2028, 1, 30)


def test_a_shorter_month_ends_on_its_last_day() -> None:
    assert months_add(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert months_add(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert months_add(datetime.date(2026, 5, 31), -1) == datetime.date(2026, 4, 30)
