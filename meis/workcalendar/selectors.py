"""Reads of legal time for the other apps: the calendar, deadlines, centre opening.

The case engine calls these; a batch job over many cases takes `national_calendar()` once and
uses its methods (or `meis.workcalendar.arithmetic.case_clock`) directly, with no further query.

Caching: one `WorkingCalendar` per process builds each year's set of non-working dates once (the
package calendar plus that year's overrides: one query per year). Saving or deleting a
`CalendarDay` bumps a generation number in Django's cache (shared by all processes when
`CACHE_URL` points at Redis), and every process rebuilds its calendar when it sees a new number.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from datetime import date

from django.core.cache import cache
from django.utils import timezone

from meis.workcalendar.arithmetic import (
    ClockReading,
    Suspension,
    WorkingCalendar,
    case_clock,
    due_on,
)
from meis.workcalendar.models import CalendarDay, CentreClosure
from meis.workcalendar.national import apply_overrides, base_non_working_days

GENERATION_KEY = "workcalendar:generation"

_lock = threading.Lock()
_state: dict[str, object] = {}


def _non_working_days(year: int) -> frozenset[date]:
    overrides = CalendarDay.objects.filter(date__year=year).values_list("date", "is_working")
    return apply_overrides(base_non_working_days(year), overrides)


def national_calendar() -> WorkingCalendar:
    """The national working-day calendar with administrators' overrides, cached per process."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    calendar = _state.get("calendar")
    if _state.get("generation") != generation or not isinstance(calendar, WorkingCalendar):
        with _lock:
            calendar = WorkingCalendar(_non_working_days)
            _state.update(calendar=calendar, generation=generation)
    return calendar


def national_calendar_invalidate() -> None:
    """Make every process rebuild its calendar (after an override changed)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    _state.clear()


def is_working_day(day: date) -> bool:
    return national_calendar().is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    """The n-th national working day after `start` (the start day does not count)."""
    return national_calendar().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """National working days d with start < d ≤ end."""
    return national_calendar().working_days_between(start, end)


def deadline_due_on(
    *, submitted_on: date, working_days: int, suspensions: Sequence[Suspension] = ()
) -> date | None:
    """The legal due date of a case; None while the clock stands still with no end."""
    return due_on(
        national_calendar(),
        submitted_on=submitted_on,
        working_days=working_days,
        suspensions=suspensions,
    )


def deadline_reading(
    *,
    submitted_on: date,
    working_days: int,
    suspensions: Sequence[Suspension] = (),
    on: date | None = None,
) -> ClockReading:
    """Days remaining, due date and status of a case on `on` (today in Baku by default)."""
    return case_clock(
        national_calendar(),
        submitted_on=submitted_on,
        working_days=working_days,
        suspensions=suspensions,
        on=on or timezone.localdate(),
    )


def calendar_days_list(*, year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year))


def centre_closures_on(*, centre_id: int, day: date) -> list[CentreClosure]:
    return list(
        CentreClosure.objects.filter(centre_id=centre_id, starts_on__lte=day, ends_on__gte=day)
    )


def centre_is_open_on(*, centre_id: int, day: date) -> bool:
    """A centre receives citizens on national working days it has not closed itself."""
    return is_working_day(day) and not centre_closures_on(centre_id=centre_id, day=day)


def centre_closures_from(*, centre_id: int, day: date) -> list[CentreClosure]:
    """The centre's closures that have not ended by `day`, the earliest first."""
    return list(
        CentreClosure.objects.filter(centre_id=centre_id, ends_on__gte=day).order_by("starts_on")
    )
