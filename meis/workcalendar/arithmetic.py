"""Legal time in working days: pure arithmetic, no Django (ADR 0009).

`WorkingCalendar` answers "is this a working day?", "what is the n-th working day after this
date?" and "how many working days lie between these dates?" from one function that gives the
non-working dates of a year. Each year is asked for once; the working days of the years seen so
far are kept as one sorted list of ordinals, so every answer is a binary search — fast enough for
deadline arithmetic over millions of cases.

`case_clock` applies that to a case: the legal decision deadline in working days counted from the
day after submission, with the clock stopped while the case waits for the citizen. Suspension
only ever removes days from the count, so it can never shorten a deadline.
"""

from __future__ import annotations

import enum
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

FIRST_YEAR = 1990
LAST_YEAR = 2200
# "Due soon": this many working days left or fewer (the queues highlight, the job escalates).
DUE_SOON_WORKING_DAYS = 2

NonWorkingDays = Callable[[int], Iterable[date]]


def weekend_days(year: int) -> frozenset[date]:
    """Saturdays and Sundays of a year (the weekly rest days of a five-day week)."""
    day = date(year, 1, 1)
    days = set()
    while day.year == year:
        if day.weekday() >= 5:
            days.add(day)
        day += timedelta(days=1)
    return frozenset(days)


class WorkingCalendar:
    """İş günləri təqvimi: working days of a calendar given its non-working dates per year."""

    def __init__(self, non_working_days: NonWorkingDays) -> None:
        self._source = non_working_days
        self._non_working: dict[int, frozenset[date]] = {}
        self._first_year = 0
        self._last_year = -1
        self._working: list[int] = []  # ordinals of working days of years first..last, sorted
        self._lock = threading.Lock()

    def non_working_days(self, year: int) -> frozenset[date]:
        if year not in self._non_working:
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise ValueError(f"the calendar covers {FIRST_YEAR}–{LAST_YEAR}, not {year}")
            self._non_working[year] = frozenset(self._source(year))
        return self._non_working[year]

    def is_working_day(self, day: date) -> bool:
        return day not in self.non_working_days(day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (the start day itself never counts); n = 0 → start."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return start
        self._cover(start.year, start.year)
        while True:
            working = self._working
            index = bisect_right(working, start.toordinal()) + n - 1
            if index < len(working):
                return date.fromordinal(working[index])
            self._cover(start.year, self._last_year + 1 + n // 200)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d ≤ end; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        self._cover(start.year, end.year)
        working = self._working
        return bisect_right(working, end.toordinal()) - bisect_right(working, start.toordinal())

    def working_days_in(self, first: date, last: date) -> int:
        """Working days d with first ≤ d ≤ last (0 when last is before first)."""
        if last < first:
            return 0
        return self.working_days_between(first - timedelta(days=1), last)

    def _cover(self, first_year: int, last_year: int) -> None:
        if self._first_year <= first_year and last_year <= self._last_year:
            return
        with self._lock:
            first = min(first_year, self._first_year) if self._working else first_year
            last = max(last_year, self._last_year)
            working: list[int] = []
            for year in range(first, last + 1):
                closed = self.non_working_days(year)
                day = date(year, 1, 1)
                while day.year == year:
                    if day not in closed:
                        working.append(day.toordinal())
                    day += timedelta(days=1)
            # Publish the list before widening the bounds: readers never see a short list.
            self._working = working
            self._first_year, self._last_year = first, last


# --- The case clock -------------------------------------------------------------------------
@dataclass(frozen=True)
class Suspension:
    """The clock stands still from `starts_on` to `ends_on`, both days included.

    `starts_on` is the day the case started waiting for the citizen (a request for more
    information); `ends_on` the day the citizen answered, or None while still waiting.
    """

    starts_on: date
    ends_on: date | None = None

    def __post_init__(self) -> None:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("a suspension cannot end before it starts")


class DeadlineStatus(enum.StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class ClockReading:
    """Where a case's legal clock stands on a day."""

    submitted_on: date
    working_days: int
    on: date
    due_on: date | None  # None while the clock is stopped with no end in sight
    remaining_working_days: int  # negative once overdue: working days past the due date
    is_suspended: bool
    status: DeadlineStatus


def _merged(suspensions: Iterable[Suspension], after: date) -> list[Suspension]:
    """Suspensions clipped to days after `after`, sorted, overlapping ones merged."""
    clipped = sorted(
        (
            Suspension(max(s.starts_on, after + timedelta(days=1)), s.ends_on)
            for s in suspensions
            if s.ends_on is None or s.ends_on > after
        ),
        key=lambda s: s.starts_on,
    )
    merged: list[Suspension] = []
    for s in clipped:
        last = merged[-1] if merged else None
        if last is not None and (last.ends_on is None or s.starts_on <= last.ends_on):
            ends = (
                None if last.ends_on is None or s.ends_on is None else max(last.ends_on, s.ends_on)
            )
            merged[-1] = Suspension(last.starts_on, ends)
        else:
            merged.append(s)
    return merged


def due_on(
    calendar: WorkingCalendar,
    *,
    submitted_on: date,
    working_days: int,
    suspensions: Sequence[Suspension] = (),
) -> date | None:
    """The due date: the n-th counting working day after submission; None while suspended."""
    left = working_days
    cursor = submitted_on
    for suspension in _merged(suspensions, submitted_on):
        before = calendar.working_days_in(
            cursor + timedelta(days=1), suspension.starts_on - timedelta(days=1)
        )
        if before >= left:
            break
        left -= before
        if suspension.ends_on is None:
            return None
        cursor = suspension.ends_on
    return calendar.add_working_days(cursor, left)


def counted_working_days(
    calendar: WorkingCalendar,
    *,
    submitted_on: date,
    on: date,
    suspensions: Sequence[Suspension] = (),
) -> int:
    """Working days used up by `on`: after submission, up to `on`, outside any suspension."""
    if on <= submitted_on:
        return 0
    used = calendar.working_days_between(submitted_on, on)
    for s in _merged(suspensions, submitted_on):
        if s.starts_on > on:
            break
        used -= calendar.working_days_in(s.starts_on, min(on, s.ends_on or on))
    return used


def deadline_status(
    *, remaining_working_days: int, is_past_due: bool, is_suspended: bool
) -> DeadlineStatus:
    """Overdue past the due date; waiting for the citizen; due soon within 2 working days."""
    if is_past_due:
        return DeadlineStatus.OVERDUE
    if is_suspended:
        return DeadlineStatus.SUSPENDED
    if remaining_working_days <= DUE_SOON_WORKING_DAYS:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TRACK


def case_clock(
    calendar: WorkingCalendar,
    *,
    submitted_on: date,
    working_days: int,
    on: date,
    suspensions: Sequence[Suspension] = (),
) -> ClockReading:
    """The clock of a case with a legal deadline of `working_days`, read on `on`."""
    due = due_on(
        calendar, submitted_on=submitted_on, working_days=working_days, suspensions=suspensions
    )
    used = counted_working_days(calendar, submitted_on=submitted_on, on=on, suspensions=suspensions)
    is_suspended = any(
        s.starts_on <= on and (s.ends_on is None or on <= s.ends_on) for s in suspensions
    )
    is_past_due = due is not None and on > due
    return ClockReading(
        submitted_on=submitted_on,
        working_days=working_days,
        on=on,
        due_on=due,
        remaining_working_days=working_days - used,
        is_suspended=is_suspended,
        status=deadline_status(
            remaining_working_days=working_days - used,
            is_past_due=is_past_due,
            is_suspended=is_suspended,
        ),
    )
