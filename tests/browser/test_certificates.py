"""E-Arayış in real headless Chromium: the public check (empty, unknown code, a real code, the
organisation declared after arriving by the QR code, the error states), the citizen's
certificates page and the staff desk (with the e-mail option), each checked with axe-core against WCAG 2.2 AA at desktop width and at 360 px
(where the page must not scroll sideways)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.tests import factories
from meis.audit.models import AuditEvent
from meis.cases.models import Channel
from meis.certificates import services
from meis.certificates.signing import demo_ca_ensure
from meis.certificates.tests.conftest import pension_for
from meis.notifications.models import Message
from tests.browser.test_case_journey import _sign_in_staff
from tests.browser.test_portal import _axe_violations, _open

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

UNKNOWN = "ZZZZZ-ZZZZZ-ZZZZZ"
WIDTHS = [(1280, 900), (360, 740)]


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("signing")
    demo_ca_ensure(directory)
    return directory


@pytest.fixture(autouse=True)
def _signing_key(settings, signing_dir: Path, tmp_path: Path) -> None:
    """The demo CA and key, as meis/certificates/tests set them up (the live server runs in this
    process, so it sees the same settings)."""
    settings.CERTIFICATE_SIGNING_P12 = str(signing_dir / "signing.p12")
    settings.CERTIFICATE_TRUST_ROOTS = str(signing_dir / "ca.pem")
    settings.CERTIFICATE_VERIFY_BASE_URL = "https://meis.example"
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def pensioner(db):
    document = factories.IdentityDocumentFactory()
    pension_for(document.person)
    return document, document.person


@pytest.fixture
def code(pensioner) -> str:
    """A pension certificate issued to the pensioner; its verification code (from the PDF)."""
    _, person = pensioner

    def issue() -> bytes:
        try:
            return services.certificate_issue(
                person=person,
                type_code="pension",
                language="en",
                recipient="Kapital Bank",
                purpose="bank",
                actor=citizen_account_get_or_create(person=person),
                channel=Channel.PORTAL,
            ).pdf
        finally:
            connection.close()

    # Signing runs its own asyncio loop, and Playwright's loop already runs in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pdf = pool.submit(issue).result()
    match = re.search(rb"verify/([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})/", pdf)
    assert match is not None
    return match.group(1).decode()


def _accessible_at_every_width(page, axe_source: str, label: str) -> dict[str, list[str]]:
    """axe-core's WCAG 2.2 AA violations of the page as it is, at desktop width and at 360 px,
    plus a sideways scroll at 360 px; keyed by label and width."""
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


def _sign_in_citizen(page, base: str, document, citizen) -> None:
    page.goto(f"{base}/en/sign-in/")
    page.fill("#id_document_number", document.number)
    page.fill("#id_fin", citizen.fin)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/sign-in/code/"))
    message = Message.objects.filter(person=citizen, event="one_time_code").latest("id")
    one_time = re.search(r"\b(\d{6})\b", message.body_text).group(1)
    page.fill("#id_code", one_time)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/my/record/"))


@pytest.mark.parametrize("lang", ["az", "en"])
def test_the_check_pages_are_accessible_and_answer_the_same_for_unknown_codes(
    page, live_server, axe_source, js_errors, code, lang
):
    base = live_server.url
    violations: dict[str, list[str]] = {}

    _open(page, live_server, f"/{lang}/verify/")
    assert page.locator("#id_code.govuk-input").count() == 1
    assert page.locator("#pdf_file.govuk-file-upload").count() == 1
    violations |= _accessible_at_every_width(page, axe_source, "check (empty)")

    # Error state: no code typed.
    page.click("main form[method=get] button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:") or page.title().startswith("Xəta:")
    assert page.locator(".govuk-error-summary a[href='#id_code']").count() == 1
    assert page.locator("#id_code.govuk-input--error").count() == 1
    violations |= _accessible_at_every_width(page, axe_source, "check (no code)")

    # Error state: the PDF form sent without a file.
    _open(page, live_server, f"/{lang}/verify/")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_selector(".govuk-error-summary a[href='#pdf_file']")
    assert page.locator("#pdf_file.govuk-file-upload--error").count() == 1
    violations |= _accessible_at_every_width(page, axe_source, "check (no file)")

    # An unknown code typed in and the same code in the address give the same answer.
    _open(page, live_server, f"/{lang}/verify/")
    page.fill("#id_code", UNKNOWN)
    page.click("main form[method=get] button[type=submit]")
    page.wait_for_url(re.compile(rf"/verify/{UNKNOWN}/"))
    typed = page.inner_text("main")
    violations |= _accessible_at_every_width(page, axe_source, "check (unknown code)")
    response = page.goto(f"{base}/{lang}/verify/{UNKNOWN}/")
    assert response.status == 404
    assert page.inner_text("main") == typed

    # A real code, as the QR code leads to it; the verifier then names their organisation.
    response = page.goto(f"{base}/{lang}/verify/{code}/")
    assert response.status == 200
    assert page.locator(".govuk-tag--green").count() == 1
    violations |= _accessible_at_every_width(page, axe_source, "check (valid code)")
    page.fill("#id_organisation", "Kapital Bank")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#organisation-logged")
    assert "Kapital Bank" in page.inner_text("#organisation-logged")
    violations |= _accessible_at_every_width(page, axe_source, "check (organisation named)")
    logged = AuditEvent.objects.filter(action="certificate.verify").latest("id")
    assert logged.actor_institution == "Kapital Bank"
    assert logged.details["self_declared"] is True

    assert violations == {}, violations
    assert js_errors == []


def test_the_citizens_certificates_page_is_accessible(
    browser, live_server, axe_source, pensioner, code
):
    document, citizen = pensioner
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_citizen(page, live_server.url, document, citizen)
    violations: dict[str, list[str]] = {}

    _open(page, live_server, "/en/certificates/")
    assert page.locator("select#id_type_code.govuk-select").count() == 1
    assert page.locator("#id_purpose_0.govuk-radios__input").count() == 1
    assert page.locator("#id_recipient.govuk-input").count() == 1
    assert page.locator("main .govuk-summary-card .govuk-tag--green").count() == 1
    violations |= _accessible_at_every_width(page, axe_source, "my certificates")

    # Error state: sent without choosing the language and the purpose.
    page.click("main form[novalidate] button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary a[href='#id_language_0']").count() == 1
    assert page.locator(".govuk-error-summary a[href='#id_purpose_0']").count() == 1
    violations |= _accessible_at_every_width(page, axe_source, "my certificates (errors)")

    # Without a confirmed e-mail address the page says why it offers no e-mail; with one, a
    # checkbox offers it.
    assert page.locator("main .govuk-inset-text").count() == 1
    citizen.verified_email = "gulsen@example.az"
    citizen.save(update_fields=["verified_email"])
    _open(page, live_server, "/en/certificates/")
    assert page.locator("#id_send_by_email.govuk-checkboxes__input").count() == 1
    violations |= _accessible_at_every_width(page, axe_source, "my certificates (e-mail offer)")

    context.close()
    assert violations == {}, violations
    assert errors == []


def test_the_staff_desk_is_accessible_with_the_email_option(browser, live_server, axe_source):
    operator = factories.staff_user("call_centre_operator", institution="Call centre 142")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_staff(page, live_server.url, operator)
    violations: dict[str, list[str]] = {}

    _open(page, live_server, "/en/backoffice/certificates/")
    assert page.locator("#id_send_by_email.govuk-checkboxes__input").count() == 1
    violations |= _accessible_at_every_width(page, axe_source, "desk")

    page.click("main button[name=issue]")
    page.wait_for_selector(".govuk-error-summary")
    assert page.locator(".govuk-error-summary a[href='#id_fin']").count() == 1
    violations |= _accessible_at_every_width(page, axe_source, "desk (errors)")

    context.close()
    assert violations == {}, violations
    assert errors == []
