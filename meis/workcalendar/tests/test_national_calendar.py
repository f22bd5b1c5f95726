"""The national calendar as the law and the Cabinet made it: named cases from docs/domain.md §11."""

from datetime import date

import pytest

from meis.centres.models import ServiceCentre
from meis.workcalendar import selectors
from meis.workcalendar.arithmetic import Suspension
from meis.workcalendar.models import CalendarDay, CentreClosure, DayKind

pytestmark = pytest.mark.django_db

TARGETED_ASSISTANCE_WORKING_DAYS = 15
JOB_SEEKER_WORKING_DAYS = 5


def test_20_to_28_march_2020_are_non_working_and_sunday_29_march_is_a_working_day():
    march = {day: selectors.is_working_day(date(2020, 3, day)) for day in range(19, 31)}
    assert [day for day, working in march.items() if working] == [19, 29, 30]


def test_a_targeted_assistance_application_of_19_march_2020_is_due_on_16_april_2020():
    # Counted by hand on the official calendar: 29, 30, 31 Mar; 1, 2, 3, 6, 7, 8, 9, 10, 13,
    # 14, 15, 16 Apr = 15 working days (20–28 March off, Sunday 29 March worked).
    due = selectors.deadline_due_on(
        submitted_on=date(2020, 3, 19), working_days=TARGETED_ASSISTANCE_WORKING_DAYS
    )
    assert due == date(2020, 4, 16)


def test_the_first_working_day_after_19_march_2020_is_sunday_29_march():
    assert selectors.add_working_days(date(2020, 3, 19), 1) == date(2020, 3, 29)


def test_a_job_seeker_registration_of_19_march_2020_is_due_on_2_april_2020():
    due = selectors.deadline_due_on(
        submitted_on=date(2020, 3, 19), working_days=JOB_SEEKER_WORKING_DAYS
    )
    assert due == date(2020, 4, 2)


def test_an_administrator_making_29_march_2020_non_working_moves_the_deadline_a_day():
    # The news text's reading (20–29 March off) as an override: deadlines follow at once.
    CalendarDay.objects.filter(date=date(2020, 3, 29)).delete()
    CalendarDay.objects.create(
        date=date(2020, 3, 29),
        is_working=False,
        kind=DayKind.EXTRA_NON_WORKING,
        reason_az="Sınaq",
        reason_en="Test",
        reason_ru="Тест",
    )
    assert selectors.add_working_days(date(2020, 3, 19), 1) == date(2020, 3, 30)
    assert selectors.deadline_due_on(
        submitted_on=date(2020, 3, 19), working_days=TARGETED_ASSISTANCE_WORKING_DAYS
    ) == date(2020, 4, 17)


def test_the_2026_novruz_and_ramazan_overlap_closes_20_to_30_march_2026():
    off = [day for day in range(19, 32) if not selectors.is_working_day(date(2026, 3, day))]
    assert off == list(range(20, 31))
    assert selectors.add_working_days(date(2026, 3, 19), 1) == date(2026, 3, 31)
    assert selectors.add_working_days(date(2026, 3, 19), 10) == date(2026, 4, 13)


def test_a_holiday_on_a_weekend_moves_the_rest_day_to_the_next_working_day():
    # Labour Code Art. 105.5, done by the `holidays` package: Women's Day on Sunday 8 March 2020
    # → Monday 9 March off; Victory Day on Sunday 8 Nov 2026, Flag Day on Monday 9 Nov → Tue 10.
    assert not selectors.is_working_day(date(2020, 3, 9))
    assert selectors.is_working_day(date(2020, 3, 10))
    assert not selectors.is_working_day(date(2026, 11, 10))


def test_a_weekend_holiday_missing_from_the_package_is_one_override_away():
    # Art. 105.5 for a decree the package does not know yet: an extra non-working day.
    day = date(2027, 3, 15)
    assert selectors.is_working_day(day)
    CalendarDay.objects.create(
        date=day,
        is_working=False,
        kind=DayKind.TRANSFERRED_REST_DAY,
        reason_az="x",
        reason_en="x",
        reason_ru="x",
        legal_basis="Labour Code Art. 105.5",
    )
    assert not selectors.is_working_day(day)


def test_the_2020_new_year_swap_makes_28_and_29_december_2019_working_days():
    assert selectors.is_working_day(date(2019, 12, 28))
    assert selectors.is_working_day(date(2019, 12, 29))
    off = [d for d in range(1, 8) if not selectors.is_working_day(date(2020, 1, d))]
    assert off == [1, 2, 3, 4, 5, 6]


def test_the_seed_marks_dates_from_memory_as_unconfirmed():
    ramazan = CalendarDay.objects.get(date=date(2020, 5, 24))
    assert ramazan.is_unconfirmed
    assert not CalendarDay.objects.get(date=date(2020, 3, 29)).is_unconfirmed
    assert CalendarDay.objects.filter(date__year__gte=2019, date__year__lte=2026).count() >= 30


def test_only_a_transferred_working_day_can_be_a_working_day():
    from django.core.exceptions import ValidationError

    day = CalendarDay(
        date=date(2027, 1, 5),
        is_working=True,
        kind=DayKind.HOLIDAY,
        reason_az="x",
        reason_en="x",
        reason_ru="x",
    )
    with pytest.raises(ValidationError):
        day.full_clean()


def test_a_centre_closure_does_not_stop_the_legal_clock():
    centre = ServiceCentre.objects.first()
    assert centre is not None
    before = selectors.deadline_due_on(submitted_on=date(2020, 2, 3), working_days=10)
    CentreClosure.objects.create(
        centre=centre,
        starts_on=date(2020, 2, 4),
        ends_on=date(2020, 2, 7),
        reason_az="Təmir",
        reason_en="Repairs",
        reason_ru="Ремонт",
    )
    assert selectors.deadline_due_on(submitted_on=date(2020, 2, 3), working_days=10) == before
    assert not selectors.centre_is_open_on(centre_id=centre.pk, day=date(2020, 2, 5))
    assert selectors.centre_is_open_on(centre_id=centre.pk, day=date(2020, 2, 10))
    assert not selectors.centre_is_open_on(centre_id=centre.pk, day=date(2020, 2, 8))


def test_waiting_for_the_citizen_over_novruz_2020_moves_the_deadline_by_the_working_days_waited():
    reading = selectors.deadline_reading(
        submitted_on=date(2020, 3, 10),
        working_days=TARGETED_ASSISTANCE_WORKING_DAYS,
        suspensions=[Suspension(date(2020, 3, 16), date(2020, 3, 31))],
        on=date(2020, 4, 1),
    )
    # Counted: 11, 12, 13 Mar; suspended 16–31 Mar; then 1 Apr onwards needs 12 more.
    assert reading.remaining_working_days == 11
    assert reading.due_on == date(2020, 4, 16)
