"""A citizen books, cancels and reschedules a time at a DOST centre; every bad booking gets a
clear answer and leaves nothing half-written (issue 18, items 2 and 4)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from meis.accounts.services import citizen_account_get_or_create
from meis.appointments.models import Appointment, AppointmentStatus, BookingChannel
from meis.appointments.selectors import appointment_times
from meis.appointments.services import (
    BookingError,
    appointment_attendance_record,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from meis.appointments.tests.conftest import MONDAY_16_MARCH, at
from meis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

TUESDAY_10 = at(2020, 3, 17, 10)
TUESDAY_1020 = at(2020, 3, 17, 10, 20)
TSA = "targeted-social-assistance"


def _book(person, centre, starts_at=TUESDAY_10, service=TSA):
    return appointment_book(
        person=person,
        centre=centre,
        service_code=service,
        starts_at=starts_at,
        actor=citizen_account_get_or_create(person=person),
    )


def test_a_booking_takes_a_seat_and_the_free_count_goes_down(citizen, centre, march_16):
    before = {
        t.starts_at: t.free
        for t in appointment_times(centre=centre, day=TUESDAY_10.date(), after=MONDAY_16_MARCH)
    }
    appointment = _book(citizen, centre)
    after = {
        t.starts_at: t.free
        for t in appointment_times(centre=centre, day=TUESDAY_10.date(), after=MONDAY_16_MARCH)
    }
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.channel == BookingChannel.PORTAL
    assert after[TUESDAY_10] == before[TUESDAY_10] - 1
    assert AuditEvent.objects.filter(action="appointment.book", person=citizen).count() == 1


def test_a_day_the_centre_is_closed_for_novruz_is_refused_naming_the_closure(
    citizen, centre, march_16
):
    with pytest.raises(BookingError, match="closed on 23 March 2020 \\(Novruz holiday\\)"):
        _book(citizen, centre, at(2020, 3, 23, 10))
    assert not Appointment.objects.exists()


def test_a_rest_day_is_refused(citizen, centre, march_16):
    with pytest.raises(BookingError, match="does not receive citizens on 28 March 2020"):
        _book(citizen, centre, at(2020, 3, 28, 10))


def test_a_time_that_has_passed_is_refused(citizen, centre, march_16):
    with pytest.raises(BookingError, match="already passed"):
        _book(citizen, centre, at(2020, 3, 16, 9, 20))


def test_a_time_between_appointment_times_or_after_closing_is_refused(citizen, centre, march_16):
    with pytest.raises(BookingError, match="no appointment at that time"):
        _book(citizen, centre, at(2020, 3, 17, 10, 7))
    with pytest.raises(BookingError, match="no appointment at that time"):
        _book(citizen, centre, at(2020, 3, 17, 18, 0))


def test_a_service_the_centre_does_not_offer_is_refused(citizen, centre, version, march_16):
    with pytest.raises(BookingError, match="does not offer “Certificate"):
        _book(citizen, centre, service="certificate-pension")


def test_during_the_restricted_week_an_unlisted_service_waits_for_a_later_day(
    citizen, centre, version, march_16
):
    with pytest.raises(BookingError, match="receives citizens only for some services"):
        _book(citizen, centre, service="old-age-pension")
    assert _book(citizen, centre, at(2020, 3, 30, 10), service="old-age-pension").pk


def test_a_full_time_is_refused_and_the_first_booking_stays(
    citizen, other_citizen, centre, march_16
):
    centre.counters, centre.slot_capacity = 1, 1
    centre.save()
    first = _book(citizen, centre)
    with pytest.raises(BookingError, match="just been taken"):
        _book(other_citizen, centre)
    assert list(Appointment.objects.values_list("pk", flat=True)) == [first.pk]


def test_a_person_cannot_hold_two_appointments_at_the_same_time(citizen, centre, march_16):
    _book(citizen, centre)
    with pytest.raises(BookingError, match="already have an appointment at that time"):
        _book(citizen, centre)
    assert Appointment.objects.count() == 1


def test_cancelling_frees_the_seat_and_cannot_be_done_twice(
    citizen, other_citizen, centre, march_16
):
    centre.counters, centre.slot_capacity = 1, 1
    centre.save()
    appointment = _book(citizen, centre)
    appointment_cancel(appointment=appointment, actor=AnonymousUser())
    assert _book(other_citizen, centre).person == other_citizen
    with pytest.raises(BookingError, match="already cancelled"):
        appointment_cancel(appointment=appointment, actor=AnonymousUser())


def test_rescheduling_moves_the_appointment_and_a_failed_move_keeps_the_old_one(
    citizen, other_citizen, centre, march_16
):
    centre.counters, centre.slot_capacity = 1, 1
    centre.save()
    old = _book(citizen, centre)
    _book(other_citizen, centre, TUESDAY_1020)
    account = citizen_account_get_or_create(person=citizen)
    with pytest.raises(BookingError, match="just been taken"):
        appointment_reschedule(appointment=old, starts_at=TUESDAY_1020, actor=account)
    old.refresh_from_db()
    assert old.status == AppointmentStatus.BOOKED
    new = appointment_reschedule(appointment=old, starts_at=at(2020, 3, 18, 11), actor=account)
    old.refresh_from_db()
    assert (old.status, old.replaced_by) == (AppointmentStatus.CANCELLED, new)
    assert new.starts_at == at(2020, 3, 18, 11)


def test_staff_record_a_no_show_only_once_the_time_has_come(
    citizen, centre, worker, worker_elsewhere, march_16
):
    appointment = _book(citizen, centre)
    with pytest.raises(BookingError, match="once the appointment time has come"):
        appointment_attendance_record(appointment=appointment, attended=False, actor=worker)
    march_16.move_to(at(2020, 3, 17, 10, 30))
    with pytest.raises(BookingError, match="Only the staff of this centre"):
        appointment_attendance_record(
            appointment=appointment, attended=False, actor=worker_elsewhere
        )
    marked = appointment_attendance_record(appointment=appointment, attended=False, actor=worker)
    assert marked.status == AppointmentStatus.NO_SHOW


# --- The pages --------------------------------------------------------------------------------


def test_a_citizen_books_on_the_page_and_sees_it_under_my_appointments(
    citizen, centre, version, citizen_client, march_16
):
    client = citizen_client(citizen)
    page = client.get(
        reverse("appointments:book"), {"centre": "baku-1", "service": TSA, "day": "2020-03-17"}
    ).content.decode()
    assert "Free times on Tuesday, 17 March" in page
    response = client.post(
        reverse("appointments:book"),
        {"centre": "baku-1", "service": TSA, "day": "2020-03-17", "time": TUESDAY_10.isoformat()},
        follow=True,
    )
    html = response.content.decode()
    assert "Booked: 17.03.2020 10:00, Baku DOST centre No. 1." in html
    assert "Apply for targeted state social assistance" in html


def test_a_bad_booking_on_the_page_says_why_and_keeps_the_choices(
    citizen, centre, version, citizen_client, march_16
):
    client = citizen_client(citizen)
    response = client.post(
        reverse("appointments:book"),
        {
            "centre": "baku-1",
            "service": TSA,
            "day": "2020-03-23",
            "time": "2020-03-23T10:00:00+04:00",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "closed on 23 March 2020 (Novruz holiday)" in html
    assert 'value="baku-1" selected' in html


@pytest.mark.parametrize(
    "form",
    [
        {"centre": "nowhere", "service": TSA, "time": "2020-03-17T10:00:00+04:00"},
        {"centre": "baku-1", "service": TSA, "time": "yesterday"},
        {"centre": "baku-1", "service": TSA, "day": "17/03", "time": ""},
        {"centre": "baku-1", "service": "no-such-service", "time": "2020-03-17T10:00:00+04:00"},
    ],
)
def test_nonsense_on_the_booking_form_is_a_clear_error_not_a_500(
    citizen, version, citizen_client, march_16, form
):
    response = citizen_client(citizen).post(reverse("appointments:book"), form)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_citizen_cancels_and_reschedules_from_my_appointments(
    citizen, centre, version, citizen_client, march_16
):
    appointment = _book(citizen, centre)
    client = citizen_client(citizen)
    response = client.post(
        reverse("appointments:reschedule", args=[appointment.public_id]),
        {"time": TUESDAY_1020.isoformat(), "day": "2020-03-17"},
        follow=True,
    )
    assert "Your appointment was moved to 17.03.2020 10:20" in response.content.decode()
    moved = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    response = client.post(reverse("appointments:cancel", args=[moved.public_id]), follow=True)
    assert "Your appointment was cancelled." in response.content.decode()
    assert not Appointment.objects.filter(status=AppointmentStatus.BOOKED).exists()


def test_another_citizen_cannot_cancel_my_appointment(
    citizen, other_citizen, centre, citizen_client, march_16
):
    appointment = _book(citizen, centre)
    response = citizen_client(other_citizen).post(
        reverse("appointments:cancel", args=[appointment.public_id])
    )
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_the_booking_pages_ask_a_visitor_to_sign_in(client):
    response = client.get(reverse("appointments:book"))
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_a_142_operator_books_for_the_identified_caller(
    citizen, centre, version, call_operator, call_with, staff_client, march_16
):
    call = call_with(citizen)
    client = staff_client(call_operator)
    url = reverse("appointments:call_book", kwargs={"person_id": citizen.pk})
    page = client.get(url, {"centre": "baku-1", "service": TSA, "day": "2020-03-17"})
    assert f"call {call.reference}" in page.content.decode()
    client.post(url, {"centre": "baku-1", "service": TSA, "time": TUESDAY_10.isoformat()})
    booked = Appointment.objects.get()
    assert (booked.person, booked.channel, booked.call_reference) == (
        citizen,
        BookingChannel.CALL_CENTRE,
        call.reference,
    )
    assert booked.booked_by == call_operator


def test_an_operator_whose_call_ended_cannot_book_for_the_caller(
    citizen, centre, call_operator, call_with, staff_client, march_16
):
    call = call_with(citizen)
    call.ended_at = call.started_at
    call.save()
    response = staff_client(call_operator).post(
        reverse("appointments:call_book", kwargs={"person_id": citizen.pk}),
        {"centre": "baku-1", "service": TSA, "time": TUESDAY_10.isoformat()},
        follow=True,
    )
    assert "Your call with this person has ended" in response.content.decode()
    assert not Appointment.objects.exists()


def test_staff_see_the_day_per_counter_and_record_a_no_show(
    citizen, other_citizen, centre, worker, staff_client, march_16
):
    _book(citizen, centre)
    _book(other_citizen, centre)
    march_16.move_to(at(2020, 3, 17, 10, 40))
    client = staff_client(worker)
    html = client.get(reverse("appointments:day_list")).content.decode()
    assert html.index("Counter 1") < html.index(citizen.full_name) < html.index("Counter 2")
    assert other_citizen.full_name in html
    first = Appointment.objects.get(person=citizen)
    client.post(reverse("appointments:attendance", args=[first.public_id]), {"attended": "no"})
    first.refresh_from_db()
    assert first.status == AppointmentStatus.NO_SHOW
    assert AuditEvent.objects.filter(action="appointments.day_list").exists()


def test_a_citizen_cannot_open_the_staff_day_list(citizen, citizen_client):
    response = citizen_client(citizen).get(reverse("appointments:day_list"))
    assert response.status_code in (302, 403)


def test_today_is_offered_only_while_one_of_its_times_is_ahead(centre, march_16):
    """After the centre's last time, "Show the days" starts with the next open day: offered
    today, a visitor would find no time to choose (a browser journey ran into this at 18:00)."""
    from meis.appointments.selectors import bookable_days, slot_starts_on

    monday = MONDAY_16_MARCH.date()
    last = slot_starts_on(centre=centre, day=monday)[-1]
    morning = bookable_days(centre=centre, service_code=TSA, after=MONDAY_16_MARCH)
    assert morning[0] == monday
    just_before = last - datetime.timedelta(minutes=1)
    assert bookable_days(centre=centre, service_code=TSA, after=just_before)[0] == monday
    evening = bookable_days(centre=centre, service_code=TSA, after=last)
    assert monday not in evening
    assert evening == morning[1:]


def test_after_closing_the_page_lists_tomorrow_first_and_today_says_no_times_left(
    citizen, version, citizen_client
):
    import time_machine

    with time_machine.travel(at(2020, 3, 16, 19), tick=False):
        client = citizen_client(citizen)
        days = client.get(reverse("appointments:book"), {"centre": "baku-1", "service": TSA})
        html = days.content.decode()
        assert 'value="2020-03-16"' not in html
        assert 'value="2020-03-17"' in html
        # A page left open since the afternoon still asks for today.
        today = client.get(
            reverse("appointments:book"), {"centre": "baku-1", "service": TSA, "day": "2020-03-16"}
        )
        assert "No times are left on this day. Choose another day." in today.content.decode()
