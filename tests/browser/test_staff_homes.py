"""Issue 21's "Done when" for the staff homes, in real Chromium: a case worker signs in (from the
home page, by clicking) and reaches their queue in one click from their home; an operator
answers a call, identifies the caller and files an application for them by clicking only, through to the
confirmation. The staff home and the caller page pass axe-core (WCAG 2.2 AA) and reflow at
320 px without sideways scrolling."""

from __future__ import annotations

import re
from typing import Any

import pytest

from meis.accounts.tests import factories
from meis.accounts.tests.conftest import totp_now
from meis.backoffice.tests.test_staff_home import case_with_clock
from meis.cases.models import Case, CaseStatus, Channel
from meis.catalog.selectors import eservice_version_current
from meis.centres.models import ServiceCentre
from meis.workcalendar.arithmetic import DeadlineStatus
from tests.browser.test_case_journey import (
    SERVICE,
    _family_of_four_on_400_a_month,
    _iban,
    _pdf_file,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def problems(page: Any, axe_source: str) -> list[str]:
    """axe-core's violations at 1280 px, and at 320 px a page wider than the screen."""
    found = []
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(axe_source)  # not an inline <script>: the CSP refuses those
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        found += [
            f"@{width}px {v['id']}: {v['help']} — "
            + ", ".join(str(node["target"][0]) for node in v["nodes"])
            for v in result["violations"]
        ]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            found.append(f"@{width}px the page is {scroll_width} px wide")
    page.set_viewport_size({"width": 1280, "height": 900})
    return found


def sign_in_staff_from_the_home_page(page: Any, base: str, user: Any) -> None:
    page.goto(f"{base}/en/")
    page.get_by_role("link", name="Sign in", exact=True).first.click()
    page.get_by_role("link", name="Staff sign-in").click()
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.STAFF_PASSWORD)
    page.fill("#id_otp_token", totp_now(user))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/en/staff/$"))


def test_a_case_worker_signs_in_and_reaches_their_queue_in_one_click(
    page, live_server, axe_source, js_errors
):
    document = factories.IdentityDocumentFactory()
    factories.registration(document.person, centre_code="baku-1")
    worker = factories.staff_user(
        "case_worker", centre_code="baku-1", subsystems=["targeted_assistance"]
    )
    version = eservice_version_current(code=SERVICE)
    centre = ServiceCentre.objects.get(code="baku-1")
    mine = case_with_clock(
        version, centre, DeadlineStatus.OVERDUE, applicant=document.person, assigned_to=worker
    )
    other = case_with_clock(version, centre, DeadlineStatus.ON_TRACK)

    sign_in_staff_from_the_home_page(page, live_server.url, worker)
    counts = page.inner_text("[data-testid=counts-mine]")
    assert re.search(r"Open cases\s+1\b", counts)
    assert re.search(r"Overdue\s+1\b", counts)
    assert problems(page, axe_source) == []

    page.click("[data-testid=my-queue]")

    page.wait_for_url(re.compile(r"/backoffice/cases/\?show=mine$"))
    queue = page.inner_text("[data-testid=queue]")
    assert mine.reference in queue
    assert other.reference not in queue
    assert js_errors == []


def test_an_operator_identifies_a_caller_and_files_for_them_by_clicking(
    page, live_server, axe_source, js_errors
):
    document = factories.IdentityDocumentFactory()
    caller = document.person
    factories.registration(caller, centre_code="baku-1")
    _family_of_four_on_400_a_month(caller)
    operator = factories.staff_user("call_centre_operator", institution="Call centre 142")

    sign_in_staff_from_the_home_page(page, live_server.url, operator)
    assert problems(page, axe_source) == []
    page.click("[data-testid=answer-call]")
    page.wait_for_url(re.compile(r"/backoffice/calls/[0-9A-Z-]+/$"))
    page.fill("#id_identify-document_number", document.number)
    page.fill("#id_identify-fin", caller.fin)
    page.click("button[value=identify]")
    page.wait_for_url(re.compile(rf"/staff/persons/{caller.pk}/$"))
    assert caller.full_name in page.inner_text("h1")
    assert problems(page, axe_source) == []

    page.click(f"[data-testid=services-on-behalf] a[href$='/apply/{SERVICE}/']")
    page.wait_for_url(re.compile(rf"/apply/{SERVICE}/$"))
    assert caller.full_name in page.inner_text("main")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/questions/$"))
    page.fill("#id_members", "4")
    page.fill("#id_income_12_months_qepik", "4800")
    page.check("input[name=has_vehicle][value=no]")
    page.fill("#id_bank_account_iban", _iban())
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/documents/$"))
    for code in ("identity_card", "family_composition_certificate"):
        page.set_input_files(f"#file-{code}", _pdf_file(f"{code}.pdf"))
        page.locator("form", has=page.locator(f"#file-{code}")).locator(
            "button[type=submit]"
        ).last.click()
        page.wait_for_load_state()
    page.click("button[name=continue]")
    page.wait_for_url(re.compile(r"/contact/$"))
    page.check("input[name=channel][value=portal]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/check/$"))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/confirmation/$"))

    case = Case.objects.get(reference=page.inner_text("[data-testid=reference]").strip())
    assert case.person == caller
    assert case.channel == Channel.CALL_CENTRE
    assert case.acting_user == operator
    assert case.status == CaseStatus.SUBMITTED
    assert js_errors == []
