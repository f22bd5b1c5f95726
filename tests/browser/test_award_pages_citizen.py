"""A citizen's awards in Chromium: current and past awards, the renewal banner and an award's
detail page pass axe-core (WCAG 2.2 AA) at 1280 px and at 320 px with no sideways scroll."""

from __future__ import annotations

import datetime

import pytest

from meis.accounts.tests import factories
from meis.awards.models import AwardKind
from meis.awards.services.ending import awards_end_due
from meis.awards.tests.factories import granted
from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from tests.browser.test_award_page import accessible_at_every_width
from tests.browser.test_certificates import _sign_in_citizen

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_citizen_reads_current_and_past_awards_on_accessible_pages(
    browser, live_server, axe_source
):
    templates_seed(Template)
    document = factories.IdentityDocumentFactory()
    citizen = document.person
    pension = granted(citizen, AwardKind.OLD_AGE_PENSION, datetime.date(2020, 3, 1))
    granted(citizen, AwardKind.TARGETED_ASSISTANCE, datetime.date(2020, 3, 1))
    awards_end_due(on=datetime.date(2021, 3, 1))  # the assistance's twelve months are over
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_citizen(page, live_server.url, document, citizen)

    page.click("#navigation >> text=My awards")
    page.wait_for_url(f"{live_server.url}/en/my/awards/")
    violations = accessible_at_every_width(page, axe_source, "my awards")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click(f"a[href='/en/my/awards/{pension.pk}/']")
    violations |= accessible_at_every_width(page, axe_source, "an award")

    context.close()
    assert violations == {}, violations
    assert errors == []
