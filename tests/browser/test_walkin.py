"""Issue 18's "the queue display calls a ticket", in real Chromium: a visitor takes a ticket at
the kiosk, a case worker signs in from the home page, clicks to their counter and calls the next
ticket, and the hall's display — open on another screen, never reloaded — shows it by itself.
The counters page, the counter page and the display pass axe-core (WCAG 2.2 AA) and reflow at
320 px without sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from meis.accounts.tests import factories
from meis.walkin.models import Ticket, TicketStatus
from meis.walkin.tests.conftest import seed_groups_and_counters
from tests.browser.test_staff_homes import problems, sign_in_staff_from_the_home_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hall(browser: Any, js_errors: list[str]) -> Any:
    """A second screen: the display in the centre's hall (its own browser context)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    screen = context.new_page()
    screen.on("pageerror", lambda error: js_errors.append(str(error)))
    yield screen
    context.close()


def test_a_counter_calls_the_next_ticket_and_the_display_shows_it_by_itself(
    page: Any, hall: Any, live_server: Any, axe_source: str, js_errors: list[str]
) -> None:
    seed_groups_and_counters()
    worker = factories.staff_user("case_worker", centre_code="baku-1", subsystems=["pensions"])

    # The worker signs in and opens the walk-in queue from the navigation.
    sign_in_staff_from_the_home_page(page, live_server.url, worker)
    page.get_by_role("link", name="Walk-in queue").first.click()
    page.get_by_role("heading", name="Walk-in queue").wait_for()
    assert problems(page, axe_source) == []

    # The kiosk and the hall's screen are the addresses the centre set those devices up with.
    kiosk = page.get_by_role("link", name="The ticket kiosk").get_attribute("href")
    display = page.get_by_role("link", name="The hall's display").get_attribute("href")
    hall.goto(f"{live_server.url}{kiosk}")
    hall.get_by_role("button", name="A — Pensions and benefits").click()
    assert hall.get_by_test_id("ticket-code").inner_text() == "A001"
    hall.goto(f"{live_server.url}{display}")
    now_calling = hall.get_by_test_id("now-calling")
    assert "No ticket has been called yet today" in now_calling.inner_text()

    # The worker calls the next ticket at counter 1.
    page.get_by_role("link", name="Counter 1").click()
    page.get_by_role("button", name="Call the next ticket").click()
    assert page.get_by_test_id("current-ticket").inner_text() == "A001"
    assert problems(page, axe_source) == []

    # The display, not reloaded, follows.
    hall.get_by_test_id("now-calling").filter(has_text="A001").wait_for(timeout=10_000)
    assert "counter 1" in hall.get_by_test_id("now-calling").inner_text()
    assert problems(hall, axe_source) == []

    page.get_by_role("button", name="Served").click()
    page.get_by_role("button", name="Call the next ticket").wait_for()
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.SERVED
    assert ticket.called_at is not None
    assert ticket.served_at is not None
    assert js_errors == []
