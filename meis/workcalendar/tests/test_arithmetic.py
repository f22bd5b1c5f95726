"""Working-day arithmetic on the package calendar (no database): properties and edge cases."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meis.workcalendar.arithmetic import (
    DeadlineStatus,
    Suspension,
    WorkingCalendar,
    case_clock,
    counted_working_days,
    due_on,
)
from meis.workcalendar.national import base_non_working_days

CALENDAR = WorkingCalendar(base_non_working_days)
# Build the years the properties roam over once, outside Hypothesis's per-example deadline.
CALENDAR.working_days_between(date(2018, 1, 1), date(2028, 12, 31))

days = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31))
counts = st.integers(min_value=1, max_value=60)


@st.composite
def suspensions(draw, after: date):
    result = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        starts = after + timedelta(days=draw(st.integers(min_value=-5, max_value=90)))
        ends = starts + timedelta(days=draw(st.integers(min_value=0, max_value=30)))
        result.append(Suspension(starts, ends))
    return result


@given(days, counts)
def test_adding_working_days_never_lands_on_a_non_working_day(start, n):
    assert CALENDAR.is_working_day(CALENDAR.add_working_days(start, n))


@given(days, counts)
def test_adding_working_days_is_monotonic_in_n(start, n):
    assert CALENDAR.add_working_days(start, n) < CALENDAR.add_working_days(start, n + 1)


@given(days, st.integers(min_value=0, max_value=60))
def test_working_days_between_inverts_adding_them(start, n):
    assert CALENDAR.working_days_between(start, CALENDAR.add_working_days(start, n)) == n


@given(days, days)
def test_working_days_between_is_antisymmetric(a, b):
    assert CALENDAR.working_days_between(a, b) == -CALENDAR.working_days_between(b, a)


@settings(max_examples=200)
@given(st.data(), days, counts)
def test_suspension_never_shortens_a_deadline(data, submitted, n):
    paused = data.draw(suspensions(submitted))
    plain = due_on(CALENDAR, submitted_on=submitted, working_days=n)
    suspended = due_on(CALENDAR, submitted_on=submitted, working_days=n, suspensions=paused)
    assert plain is not None
    assert suspended is not None
    assert suspended >= plain


@settings(max_examples=200)
@given(st.data(), days, counts)
def test_the_due_date_is_the_day_the_counted_working_days_reach_the_deadline(data, submitted, n):
    paused = data.draw(suspensions(submitted))
    due = due_on(CALENDAR, submitted_on=submitted, working_days=n, suspensions=paused)
    assert due is not None
    assert CALENDAR.is_working_day(due)
    used = counted_working_days(CALENDAR, submitted_on=submitted, on=due, suspensions=paused)
    before = counted_working_days(
        CALENDAR, submitted_on=submitted, on=due - timedelta(days=1), suspensions=paused
    )
    assert (before, used) == (n - 1, n)


def test_the_submission_day_does_not_count():
    # Monday 2 March 2020 + 1 working day = Tuesday 3 March.
    assert CALENDAR.add_working_days(date(2020, 3, 2), 1) == date(2020, 3, 3)
    assert CALENDAR.add_working_days(date(2020, 3, 2), 0) == date(2020, 3, 2)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_working_days(date(2020, 3, 2), -1)


def test_a_deadline_crosses_the_year_end():
    # Friday 27 Dec 2019: Sat 28 and Sun 29 Dec were working (swapped), 31 Dec – 6 Jan off.
    assert CALENDAR.add_working_days(date(2019, 12, 27), 3) == date(2019, 12, 30)
    assert CALENDAR.add_working_days(date(2019, 12, 27), 4) == date(2020, 1, 7)


def test_an_open_suspension_stops_the_clock_and_freezes_the_days_remaining():
    reading = case_clock(
        CALENDAR,
        submitted_on=date(2020, 3, 2),
        working_days=10,
        suspensions=[Suspension(date(2020, 3, 5), None)],
        on=date(2020, 3, 31),
    )
    # 3 and 4 March counted before the request for information.
    assert reading.due_on is None
    assert reading.remaining_working_days == 8
    assert reading.status == DeadlineStatus.SUSPENDED


def test_a_closed_suspension_moves_the_due_date_by_the_working_days_it_covered():
    plain = due_on(CALENDAR, submitted_on=date(2020, 2, 3), working_days=10)
    paused = due_on(
        CALENDAR,
        submitted_on=date(2020, 2, 3),
        working_days=10,
        suspensions=[Suspension(date(2020, 2, 5), date(2020, 2, 11))],  # Wed–Tue: 5 working days
    )
    assert plain == date(2020, 2, 17)
    assert paused == date(2020, 2, 24)


@pytest.mark.parametrize(
    ("on", "remaining", "status"),
    [
        (date(2020, 2, 10), 5, DeadlineStatus.ON_TRACK),
        (date(2020, 2, 13), 2, DeadlineStatus.DUE_SOON),
        (date(2020, 2, 17), 0, DeadlineStatus.DUE_SOON),
        (date(2020, 2, 18), -1, DeadlineStatus.OVERDUE),
        (date(2020, 2, 24), -5, DeadlineStatus.OVERDUE),
    ],
)
def test_a_case_is_classified_by_the_working_days_left(on, remaining, status):
    reading = case_clock(CALENDAR, submitted_on=date(2020, 2, 3), working_days=10, on=on)
    assert (reading.remaining_working_days, reading.status) == (remaining, status)


def test_the_saturday_after_the_due_date_is_already_overdue():
    reading = case_clock(
        CALENDAR, submitted_on=date(2020, 2, 3), working_days=9, on=date(2020, 2, 15)
    )
    assert reading.due_on == date(2020, 2, 14)
    assert reading.remaining_working_days == 0
    assert reading.status == DeadlineStatus.OVERDUE


def test_a_suspension_ending_before_submission_is_ignored():
    assert due_on(
        CALENDAR,
        submitted_on=date(2020, 2, 3),
        working_days=10,
        suspensions=[Suspension(date(2020, 1, 1), date(2020, 2, 3))],
    ) == date(2020, 2, 17)


def test_a_year_outside_the_calendar_is_refused():
    with pytest.raises(ValueError, match="covers"):
        CALENDAR.is_working_day(date(1900, 1, 1))
