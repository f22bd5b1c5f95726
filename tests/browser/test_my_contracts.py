"""An employee's contracts in Chromium: from the home page a citizen signs in, opens "My employment
contracts", sees the contract their employer registered and disputes it; a labour inspector
reaches the dispute from the staff navigation and decides it. Every page passes axe-core (WCAG
2.2 AA) at 1280 px and at 320 px with no sideways scroll."""

from __future__ import annotations

import re

import pytest

from meis.accounts.tests import factories
from meis.inspection.models import ContractDispute, DisputeStatus
from meis.labour.models import Assurance
from meis.labour.services import contract_conclude
from meis.labour.tests.factories import EmployerFactory, draft
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.registry.tests.factories import PersonFactory
from tests.browser.test_award_page import accessible_at_every_width
from tests.browser.test_case_journey import _sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def _sign_in_from_home(page, base: str, document, citizen) -> None:
    page.goto(f"{base}/en/")
    page.click("#navigation >> text=Sign in")
    page.fill("#id_document_number", document.number)
    page.fill("#id_fin", citizen.fin)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/sign-in/code/"))
    message = Message.objects.filter(person=citizen, event="one_time_code").latest("id")
    match = re.search(r"\b(\d{6})\b", message.body_text)
    assert match is not None
    page.fill("#id_code", match.group(1))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/my/record/"))


def test_a_citizen_finds_their_contract_and_disputes_it_and_an_inspector_decides(
    browser, live_server, axe_source
):
    templates_seed(Template)
    citizen = PersonFactory.create()
    document = factories.IdentityDocumentFactory(person=citizen)
    employer = EmployerFactory.create(name="Xəzər Tikinti MMC")
    contract = contract_conclude(
        employer=employer,
        draft=draft(citizen.fin),
        actor=None,
        assurance=Assurance.ONE_TIME_CODE,
    )
    inspector = factories.staff_user("labour_inspector", institution="State Labour Inspection")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    _sign_in_from_home(page, live_server.url, document, citizen)
    page.click("main >> text=My employment contracts")
    page.wait_for_url(f"{live_server.url}/en/my/contracts/")
    assert page.locator("[data-testid=contract]").count() == 1
    assert employer.name in page.inner_text("main")
    assert contract.number in page.inner_text("main")
    violations = accessible_at_every_width(page, axe_source, "my contracts")

    page.set_viewport_size(DESKTOP)
    page.click("main >> text=This is wrong")
    page.wait_for_url(re.compile(r"/dispute/$"))
    page.click("main form button[type=submit]")  # nothing chosen: the error summary
    page.wait_for_selector(".govuk-error-summary")
    assert page.locator(".govuk-error-summary a[href='#id_reason_0']").count() == 1
    violations |= accessible_at_every_width(page, axe_source, "dispute (errors)")
    page.set_viewport_size(DESKTOP)
    page.check("text=The wage is wrong")
    page.fill("#id_text", "Mənə ayda 1 200 manat ödənilir, 1 500 yox.")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/en/my/contracts/")
    dispute = ContractDispute.objects.get()
    assert dispute.reference in page.inner_text("main")
    assert "Being examined by the labour inspection" in page.inner_text("main")
    violations |= accessible_at_every_width(page, axe_source, "my contracts (disputed)")
    context.close()

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_staff(page, live_server.url, inspector)
    page.click("#navigation >> text=Labour inspection")
    page.wait_for_url(f"{live_server.url}/en/backoffice/labour/")
    violations |= accessible_at_every_width(page, axe_source, "inspection home")
    page.set_viewport_size(DESKTOP)
    page.click(f"main >> text={dispute.reference}")
    page.wait_for_url(re.compile(r"/disputes/\d+/$"))
    violations |= accessible_at_every_width(page, axe_source, "dispute")
    page.set_viewport_size(DESKTOP)
    page.check("text=Uphold: the entry is wrong")
    page.fill("#id_note", "The employer will correct the wage.")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=dispute-status] >> text=Upheld")
    for report in (
        "Late notifications",
        "Terminations by ground and employer",
        "Possible informal work",
    ):
        page.set_viewport_size(DESKTOP)
        page.click("#navigation >> text=Labour inspection")
        page.click(f"main nav >> text={report}")
        page.wait_for_selector(f"h1 >> text={report}")
        violations |= accessible_at_every_width(page, axe_source, report)
    context.close()

    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.UPHELD
    assert violations == {}, violations
    assert errors == []
