"""Issue 21's "done when", in Chromium: a new visitor, clicking only from the home page, starts an
application for targeted social assistance (as far as the sign-in it needs), checks a real
certificate by its code, and gets an estimate from the pension calculator. Every page on the way
passes axe-core (WCAG 2.2 AA) at 1280 px and at 320 px, where it does not scroll sideways."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.tests import factories
from meis.certificates.tests.conftest import pension_for
from tests.browser.test_case_journey import Axe
from tests.browser.test_crawl import (  # noqa: F401 — the signing key's fixtures
    PHONE,
    _signing_key,
    certificate_code_issue,
    signing_dir,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


class Accessible(Axe):
    """axe-core at 1280 px and at 320 px, and no sideways scroll at 320 px, on each page."""

    def check(self, page, label: str) -> None:
        super().check(page, f"{label} @ 1280 px")
        page.set_viewport_size(PHONE)
        super().check(page, f"{label} @ 320 px")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            self.violations.setdefault(f"{label} @ 320 px", []).append(f"{width} px wide")
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def accessible(axe_source: str) -> Accessible:
    return Accessible(axe_source)


@pytest.fixture
def certificate_code(db: None) -> str:
    """The code printed on a pension certificate a pensioner downloaded."""
    document = factories.IdentityDocumentFactory()
    pension_for(document.person)
    account = citizen_account_get_or_create(person=document.person)
    return certificate_code_issue(document.person, account)


def _home(page, base: str) -> None:
    page.goto(f"{base}/az/")
    page.wait_for_selector(".govuk-skip-link[data-govuk-skip-link-init]", state="attached")


def _click(page, selector: str, url: str) -> None:
    page.click(selector)
    page.wait_for_url(re.compile(url))


def test_a_new_visitor_applies_checks_a_certificate_and_estimates_a_pension_by_clicking(
    page, live_server, accessible, certificate_code, js_errors
):
    base = live_server.url
    _home(page, base)
    accessible.check(page, "home")

    # Targeted social assistance: the catalogue, the service, "Apply now" → the sign-in.
    _click(page, "main a[href='/az/services/']", r"/az/services/$")
    accessible.check(page, "catalogue")
    _click(
        page,
        "main a[href='/az/services/targeted-social-assistance/']",
        r"/az/services/targeted-social-assistance/$",
    )
    accessible.check(page, "targeted social assistance")
    _click(page, "main a.govuk-button--start", r"/az/sign-in/\?next=")
    assert "/az/apply/targeted-social-assistance/" in unquote(page.url)  # where it goes on to
    assert page.locator("#id_document_number").is_visible()
    assert page.locator("#id_fin").is_visible()
    accessible.check(page, "sign-in to apply")

    # A certificate's code, typed in as a bank clerk would from the paper.
    _click(page, "#navigation a[href='/az/']", r"/az/$")
    _click(page, "main a[href='/az/verify/']", r"/az/verify/$")
    accessible.check(page, "check a certificate")
    page.fill("#id_code", certificate_code)
    _click(page, "main form[method=get] button[type=submit]", rf"/az/verify/{certificate_code}/$")
    assert page.locator("main .govuk-tag--green").count() == 1
    accessible.check(page, "a valid certificate")

    # The pension calculator, to an estimate.
    _click(page, "#navigation a[href='/az/']", r"/az/$")
    _click(page, "main a[href='/az/calculators/']", r"/az/calculators/$")
    accessible.check(page, "calculators")
    _click(page, "main a[href='/az/calculators/pension/']", r"/az/calculators/pension/$")
    accessible.check(page, "pension calculator")
    page.check("input[name=sex][value=female]")
    page.fill("#id_birth_day", "10")
    page.fill("#id_birth_month", "5")
    page.fill("#id_birth_year", "1962")
    page.fill("#id_record_years", "30")
    page.fill("#id_record_months", "0")
    page.fill("#id_capital", "72000")
    _click(page, "main form button[type=submit]", r"/az/calculators/pension/\?")
    assert "500,00" in page.inner_text("#result")
    accessible.check(page, "pension estimate")

    assert accessible.violations == {}, accessible.violations
    assert js_errors == []
