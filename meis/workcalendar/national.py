"""The national working-day calendar of Azerbaijan, before administrators' overrides.

Non-working days = Saturdays and Sundays, plus the public holidays of the `holidays` package's
Azerbaijan calendar (Labour Code Art. 105: the fixed holidays, Novruz, Ramazan and Qurban, the
Art. 105.5 transfer of a holiday falling on a weekend to the next working day, Art. 105.6 for
Ramazan/Qurban coinciding with another holiday, and the Cabinet's swaps up to 2025), minus the
weekend days the Cabinet made working days (e.g. Sunday 29 March 2020).

Administrators' `CalendarDay` overrides are applied on top (see `selectors.national_calendar`).
No Django here: the package and the date arithmetic only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays

from meis.workcalendar.arithmetic import weekend_days


def package_calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("AZ", years=year, language="en_US")


@lru_cache(maxsize=256)
def base_non_working_days(year: int) -> frozenset[date]:
    """Weekends and public holidays of a year, without the weekends decreed working days.

    Cached for the life of the process: it changes only with the `holidays` package (~0.15 s a
    year to compute), while the overrides on top are re-read whenever they change.
    """
    calendar = package_calendar(year)
    holidays_of_year = {day for day in calendar if day.year == year}
    worked_weekends = {day for day in calendar.weekend_workdays if day.year == year}
    return frozenset((weekend_days(year) - worked_weekends) | holidays_of_year)


def apply_overrides(
    base: frozenset[date], overrides: Iterable[tuple[date, bool]]
) -> frozenset[date]:
    """Overrides (date, is_working) win over the base calendar."""
    days = set(base)
    for day, is_working in overrides:
        if is_working:
            days.discard(day)
        else:
            days.add(day)
    return frozenset(days)
