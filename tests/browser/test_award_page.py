"""An administrator reaches an award's staff page and suspends it, in Chromium: the page and its
error state pass axe-core (WCAG 2.2 AA) at 1280 px and at 320 px with no sideways scroll."""

from __future__ import annotations

import datetime

import pytest

from meis.accounts.tests import factories
from meis.awards.models import AwardKind, AwardStatus
from meis.awards.tests.factories import granted
from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from meis.registry.tests.factories import PersonFactory
from tests.browser.test_case_journey import _sign_in_staff
from tests.browser.test_certificates import _axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = ((1280, 900), (320, 800))


def accessible_at_every_width(page, axe_source: str, label: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        violations = _axe_violations(page, axe_source)
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        if scroll_width > width:
            violations.append(f"horizontal scroll: {scroll_width} px wide")
        if violations:
            found[f"{label} @ {width}px"] = violations
    return found


def test_an_administrator_suspends_an_award_on_an_accessible_page(browser, live_server, axe_source):
    templates_seed(Template)
    award = granted(PersonFactory(), AwardKind.OLD_AGE_PENSION, datetime.date(2020, 3, 1))
    administrator = factories.staff_user("administrator")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_staff(page, live_server.url, administrator)

    page.goto(f"{live_server.url}/en/backoffice/awards/{award.pk}/")
    violations = accessible_at_every_width(page, axe_source, "award")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-testid=award-action]")  # no reason given
    page.wait_for_selector(".govuk-error-summary")
    violations |= accessible_at_every_width(page, axe_source, "award (error)")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#id_reason", "Lives abroad.")
    page.click("[data-testid=award-action]")
    page.wait_for_selector("text=Resume the award")

    context.close()
    award.refresh_from_db()
    assert award.status == AwardStatus.SUSPENDED
    assert violations == {}, violations
    assert errors == []
