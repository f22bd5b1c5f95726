"""Calendar arithmetic every app needs the same way (the rules have their own, vectorised, in
`meis.rules.dates`)."""

from __future__ import annotations

import calendar
import datetime


def months_add(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (earlier when negative); the month's last day when that
    month is shorter: 31 January + 1 month is 28 (or 29) February."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
