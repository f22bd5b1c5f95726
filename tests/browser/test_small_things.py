"""Issue 21 item 6 in real Chromium, by clicking from the home page: the inbox counts and opens
one message; a second targeted-assistance application is refused at its start page; withdrawing
asks first; "who looked at my data" shows one line for three looks. Each page is checked with
axe-core and for reflow at 320 px."""

from __future__ import annotations

import re

import pytest

from meis.accounts.tests import factories
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.cases.models import Case, CaseStatus
from meis.cases.tests.conftest import SERVICE
from meis.cases.tests.test_services import submit
from meis.catalog.selectors import eservice_version_current
from meis.centres.models import ServiceCentre
from meis.notifications.models import Message
from tests.browser.test_certificates import (  # noqa: F401 — the signed certificate's fixtures
    _signing_key,
    code,
    pensioner,
    signing_dir,
)
from tests.browser.test_portal import _axe_violations, _open

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def applicant(db):
    """A citizen with one open targeted-assistance application (its acknowledgement unread in
    the inbox) and three looks at their record by one case worker today."""
    document = factories.IdentityDocumentFactory()
    citizen = document.person
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    version = eservice_version_current(code=SERVICE)
    case = submit(citizen, version, ServiceCentre.objects.order_by("code")[0]).case
    worker = factories.staff_user("case_worker", institution="Baku DOST centre No. 1")
    for _ in range(3):
        audit_record(
            action=AuditAction.PERSON_READ,
            actor=worker,
            actor_role="case_worker",
            actor_institution="Baku DOST centre No. 1",
            person=citizen,
            obj=citizen,
            purpose=f"{case.reference}: assigned case worker",
        )
    return document, citizen, case


def _check(page, axe_source: str, label: str, found: dict[str, list[str]]) -> None:
    """axe at 1280 px and at 320 px, and no sideways scroll at 320 px."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        problems = _axe_violations(page, axe_source)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"sideways scroll: {scroll} px")
        if problems:
            found[f"{label} @ {width}"] = problems
    page.set_viewport_size({"width": 1280, "height": 800})


def _sign_in_from_home(page, live_server, document, citizen) -> None:
    _open(page, live_server, "/en/")
    page.click("nav a:text-is('Sign in')")
    page.fill("#id_document_number", document.number)
    page.fill("#id_fin", citizen.fin)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/sign-in/code/"))
    text = Message.objects.filter(person=citizen, event="one_time_code").latest("id").body_text
    page.fill("#id_code", re.search(r"\b(\d{6})\b", text).group(1))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/my/record/"))


def test_the_small_things_a_citizen_notices(page, live_server, axe_source, js_errors, applicant):
    document, citizen, case = applicant
    found: dict[str, list[str]] = {}
    _sign_in_from_home(page, live_server, document, citizen)

    # The inbox: counted in the navigation, listed with an unread mark, opened on its own page.
    page.click("nav a:text-is('Inbox (1)')")
    page.wait_for_url(re.compile(r"/inbox/$"))
    assert page.locator("[data-testid=inbox] .govuk-tag:text-is('Unread')").count() == 1
    _check(page, axe_source, "inbox", found)
    page.click("[data-testid=inbox] a.govuk-link")
    page.wait_for_url(re.compile(r"/inbox/[0-9a-f-]{36}/$"))
    assert case.reference in page.inner_text("main")
    assert page.locator("nav a:text-is('Inbox')").count() == 1  # read: no count any more
    _check(page, axe_source, "inbox message", found)

    # A second application for targeted assistance is refused at its start page, with the way
    # to the open one.
    page.click("nav a:text-is('E-services')")
    page.click(f"main a[href='/en/services/{SERVICE}/']")
    page.click(f"main a[href='/en/apply/{SERVICE}/']")
    assert page.locator("[data-testid=one-at-a-time]").is_visible()
    assert page.locator("main button:text-is('Start now')").count() == 0
    _check(page, axe_source, "apply refused", found)
    page.click(f"[data-testid=one-at-a-time] a:has-text('{case.reference}')")
    page.wait_for_url(re.compile(rf"/applications/{case.reference}/$"))

    # Withdrawing asks first; "No" goes back and changes nothing, "Yes" withdraws.
    page.click("main a:text-is('Withdraw this application')")
    page.wait_for_url(re.compile(r"/withdraw/$"))
    _check(page, axe_source, "withdraw confirmation", found)
    page.click("main a:has-text('No, go back')")
    page.wait_for_url(re.compile(rf"/applications/{case.reference}/$"))
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    page.click("main a:text-is('Withdraw this application')")
    page.click("main button:has-text('Yes, withdraw')")
    page.wait_for_url(re.compile(rf"/applications/{case.reference}/$"))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.WITHDRAWN

    # Who looked: three looks by one officer today are one line.
    page.click("nav a:text-is('My record')")
    page.click("main a:text-is('Who looked at my data')")
    page.wait_for_url(re.compile(r"/my/who-looked/$"))
    assert page.locator("[data-testid=looks] > li").count() == 1
    assert page.inner_text("[data-testid=times]") == "3 times"
    _check(page, axe_source, "who looked", found)

    assert found == {}, found
    assert js_errors == []


def test_revoking_a_certificate_asks_first_and_the_check_hides_the_holder(
    page,
    live_server,
    axe_source,
    js_errors,
    pensioner,  # noqa: F811 — the fixture imported above
    code,  # noqa: F811
):
    document, citizen = pensioner
    found: dict[str, list[str]] = {}
    _sign_in_from_home(page, live_server, document, citizen)

    page.click("nav a:text-is('My certificates')")
    page.click("main .govuk-summary-card a:has-text('Revoke')")
    page.wait_for_url(re.compile(r"/certificates/\d+/revoke/$"))
    _check(page, axe_source, "revoke confirmation", found)
    page.click("main a:text-is('No, keep it')")
    page.wait_for_url(re.compile(r"/certificates/$"))
    assert page.locator("main .govuk-tag--green").count() == 1

    page.click("main .govuk-summary-card a:has-text('Revoke')")
    page.fill("#id_reason", "Lost the printout")
    page.click("main button:has-text('Yes, revoke')")
    page.wait_for_url(re.compile(r"/certificates/$"))
    assert page.locator("main .govuk-tag--red").count() == 1

    # A verifier checks it by its code, from the home page.
    page.click("nav a:text-is('My record')")
    page.click("main button:text-is('Sign out')")
    _open(page, live_server, "/en/")
    page.click("nav a:text-is('Check a certificate')")
    page.fill("#id_code", code)
    page.click("main form[method=get] button[type=submit]")
    page.wait_for_selector("#certificate-revoked")
    main = page.inner_text("main")
    assert "was revoked on" in main
    assert "Ministry of Labour" in main
    assert citizen.last_name not in main
    assert citizen.fin not in main
    assert "Kapital Bank" not in main
    _check(page, axe_source, "revoked check", found)

    assert found == {}, found
    assert js_errors == []
