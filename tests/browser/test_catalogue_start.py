"""From the home page to the first question, by clicking, in Azerbaijani: a citizen finds the
catalogue, opens targeted social assistance, clicks "Apply now", signs in on the way, clicks
"Start now" and reaches the first question page. A service not applied for online leads, by
clicking, to where it is applied for (the DOST centres) instead of a 404. Every page is checked
with axe-core against WCAG 2.2 AA."""

from __future__ import annotations

import re

import pytest

from meis.accounts.tests import factories
from meis.notifications.models import Message
from meis.registry.models import IdentityDocument
from tests.browser.test_case_journey import Axe

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def axe(axe_source: str) -> Axe:
    return Axe(axe_source)


def _catalogue_from_home(page, base: str, axe: Axe) -> None:
    page.goto(f"{base}/az/")
    axe.check(page, "home")
    page.click("main a[href='/az/services/']")
    page.wait_for_url(re.compile(r"/az/services/$"))
    axe.check(page, "catalogue")


def test_a_citizen_clicks_from_the_home_page_to_the_first_question(
    page, live_server, axe, js_errors
) -> None:
    document: IdentityDocument = factories.IdentityDocumentFactory.create()
    citizen = document.person
    base = live_server.url
    _catalogue_from_home(page, base, axe)
    page.click("main a[href='/az/services/targeted-social-assistance/']")
    page.wait_for_url(re.compile(r"/az/services/targeted-social-assistance/$"))
    axe.check(page, "service page")

    page.click("main a.govuk-button--start")
    page.wait_for_url(re.compile(r"/az/sign-in/"))  # applying needs a signed-in citizen
    page.fill("#id_document_number", document.number)
    page.fill("#id_fin", citizen.fin)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/sign-in/code/"))
    message = Message.objects.filter(person=citizen, event="one_time_code").latest("id")
    match = re.search(r"\b(\d{6})\b", message.body_text)
    assert match is not None
    page.fill("#id_code", match.group(1))
    page.click("main form button[type=submit]")

    page.wait_for_url(re.compile(r"/az/apply/targeted-social-assistance/$"))
    axe.check(page, "apply start")
    page.click("main form button.govuk-button--start")
    page.wait_for_url(re.compile(r"/az/apply/targeted-social-assistance/questions/$"))
    assert page.locator("main form input, main form select").count() > 0
    axe.check(page, "first question page")
    assert axe.violations == {}
    assert js_errors == []


def test_a_service_needing_a_visit_says_where_to_go(page, live_server, axe, js_errors) -> None:
    base = live_server.url
    _catalogue_from_home(page, base, axe)
    page.click("main a[href='/az/services/individual-account-statement/']")
    page.wait_for_url(re.compile(r"/az/services/individual-account-statement/$"))
    assert page.locator("main a.govuk-button--start").count() == 0
    assert "142" in page.locator("#channel-note").inner_text()
    axe.check(page, "in-person service page")
    page.click("#in-person")
    page.wait_for_url(re.compile(r"/az/apply/individual-account-statement/in-person/$"))
    assert page.locator("#centres .govuk-summary-list__row").count() > 0
    axe.check(page, "DOST centres")
    assert axe.violations == {}
    assert js_errors == []
