"""Issue 18's "Done when" for the 142 call centre, in real Chromium and by clicking only: an
operator signs in, answers a call that needs no identity and logs it as information given; then
answers the next, identifies the caller, books them a visit to a DOST centre, and logs and ends
that call. Every page passes axe-core (WCAG 2.2 AA) and reflows at 320 px."""

from __future__ import annotations

import re

import pytest

from meis.accounts.models import CallSession
from meis.accounts.tests import factories
from meis.appointments.models import Appointment, AppointmentStatus, BookingChannel
from meis.callcentre.models import Call, CallOutcome
from tests.browser.test_staff_homes import problems, sign_in_staff_from_the_home_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CALL_PAGE = re.compile(r"/en/backoffice/calls/142-\d{8}-[0-9A-F]{8}/$")


def test_an_operator_logs_an_information_call_and_books_for_the_next_caller(
    page, live_server, axe_source, js_errors
):
    document = factories.IdentityDocumentFactory()
    caller = document.person
    operator = factories.staff_user("call_centre_operator", institution="Call centre 142")
    sign_in_staff_from_the_home_page(page, live_server.url, operator)

    # A caller asks when pensions are paid: no identity needed, the call is logged all the same.
    page.click("[data-testid=answer-call]")
    page.wait_for_url(CALL_PAGE)
    assert problems(page, axe_source) == []
    page.select_option("#id_topic", label="Pensions")
    page.check(f"input[name=outcome][value={CallOutcome.INFORMATION}]")
    page.fill("#id_notes", "Asked when the March pension is paid.")
    page.click("[data-testid=end-call]")
    page.wait_for_url(re.compile(r"/en/backoffice/calls/$"))
    assert "The call has ended and is logged." in page.inner_text("main")
    today = page.inner_text("[data-testid=calls-today]")
    assert "Pensions" in today
    assert "Information given" in today
    assert problems(page, axe_source) == []
    information = Call.objects.get()
    assert (information.caller, information.outcome) == (None, CallOutcome.INFORMATION)
    assert information.ended_at is not None

    # The next caller wants to visit a centre: identified, booked, logged.
    page.click("[data-testid=answer-call]")
    page.wait_for_url(CALL_PAGE)
    page.fill("#id_identify-document_number", document.number)
    page.fill("#id_identify-fin", caller.fin)
    page.click("button[value=identify]")
    page.wait_for_url(re.compile(rf"/en/staff/persons/{caller.pk}/$"))
    page.click("[data-testid=book-for-caller]")
    page.select_option("#centre", "baku-1")
    page.select_option("#service", index=1)
    page.click("#show-days")
    page.click("#show-times")
    assert problems(page, axe_source) == []
    page.check("input[name=time]:not([disabled]) >> nth=0")
    page.click("#book")
    page.wait_for_url(re.compile(rf"/en/staff/persons/{caller.pk}/$"))
    booked = Appointment.objects.get()
    assert (booked.person, booked.channel, booked.status) == (
        caller,
        BookingChannel.CALL_CENTRE,
        AppointmentStatus.BOOKED,
    )
    assert "Baku" in page.inner_text("[data-testid=caller-appointments]")

    page.click("[data-testid=end-call]")
    page.wait_for_url(CALL_PAGE)
    assert caller.full_name in page.inner_text("[data-testid=call-caller]")
    page.select_option("#id_topic", label="DOST centre appointments")
    page.check(f"input[name=outcome][value={CallOutcome.APPOINTMENT_BOOKED}]")
    page.click("[data-testid=end-call]")
    page.wait_for_url(re.compile(r"/en/backoffice/calls/$"))

    booking_call = Call.objects.exclude(pk=information.pk).get()
    assert booking_call.caller == caller
    assert booking_call.ended_at is not None
    assert booked.call_reference == booking_call.reference
    assert CallSession.objects.get().ended_at is not None  # the grant to act has ended too
    summary = page.inner_text("[data-testid=day-summary]")
    assert "Callers identified\n1" in summary or "Callers identified\t1" in summary
    assert js_errors == []
