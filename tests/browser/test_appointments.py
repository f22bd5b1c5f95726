"""A citizen in Chromium, with the demo's clock set back to Monday 16 March 2020: from the home
page to the DOST directory (hours, the restricted-reception notice), then a ready document's
pickup booked, moved and cancelled. Every page passes axe-core and reflows at 320 px."""

from __future__ import annotations

import re

import pytest

from meis.accounts.tests import factories
from meis.appointments.models import Appointment, AppointmentStatus
from meis.appointments.services import pickups_open
from meis.cases import services as case_services
from meis.cases.tests.conftest import staff
from meis.cases.tests.decisions.conftest import registers  # noqa: F401
from meis.cases.tests.decisions.stories import FAMILY_OF_FOUR, file, taken_by
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from tests.browser.test_award_page import accessible_at_every_width
from tests.browser.test_certificates import _sign_in_citizen

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_citizen_reads_the_march_notice_and_books_moves_and_cancels_a_pickup(
    browser,
    live_server,
    axe_source,
    settings,
    registers,  # noqa: F811
):
    settings.MEIS_DEMO = True
    settings.MEIS_DEMO_NOW = "2020-03-16T10:00"
    templates_seed(Template)
    catalog_import_seed()
    document = factories.IdentityDocumentFactory()
    citizen = document.person
    centre = ServiceCentre.objects.get(code="baku-1")
    worker = staff("w1", "case_worker", centre, ["targeted_assistance"])
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    case = taken_by(file(citizen, centre), worker)
    case_services.case_approve(
        case=case, actor=worker, expected_version=case.version, is_handover_in_person=True
    )
    assert pickups_open() == 1

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/en/")
    page.click("#navigation >> text=DOST centres")
    page.wait_for_url(f"{live_server.url}/en/centres/")
    baku_1 = page.locator("#centre-baku-1")
    assert "Open until 18:00; restricted reception: appointments only" in baku_1.inner_text()
    assert "Monday: 09:00–18:00" in baku_1.inner_text()
    assert "only by appointment" in baku_1.inner_text()
    violations = accessible_at_every_width(page, axe_source, "directory")
    page.set_viewport_size({"width": 1280, "height": 900})

    _sign_in_citizen(page, live_server.url, document, citizen)
    page.click("#navigation >> text=Home")
    page.click("main >> text=My appointments")
    page.wait_for_url(f"{live_server.url}/en/appointments/")
    violations |= accessible_at_every_width(page, axe_source, "my appointments")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#pickups a")
    page.select_option("#day", "2020-03-17")
    page.click("#show-times")
    violations |= accessible_at_every_width(page, axe_source, "free times")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.check("#time-1")
    page.click("#book")
    page.wait_for_url(f"{live_server.url}/en/appointments/")
    assert "Booked: 17.03.2020 09:00" in page.inner_text("main")

    page.click("#upcoming >> text=Change the time")
    page.select_option("#day", "2020-03-18")
    page.click("#show-times")
    page.check("#time-3")
    page.click("#book")
    page.wait_for_url(f"{live_server.url}/en/appointments/")
    assert "Your appointment was moved to 18.03.2020 09:40" in page.inner_text("main")
    assert Appointment.objects.get(status=AppointmentStatus.BOOKED).pickup is not None

    page.click("#upcoming >> text=Cancel this appointment")
    page.wait_for_url(re.compile(r"/en/appointments/$"))
    assert "Your appointment was cancelled." in page.inner_text("main")
    assert not Appointment.objects.filter(status=AppointmentStatus.BOOKED).exists()
    violations |= accessible_at_every_width(page, axe_source, "after cancelling")

    context.close()
    assert violations == {}, violations
    assert errors == []
