"""Issue 15: an employer's representative signs in like a citizen, goes to the employer's pages,
notifies a hire, confirms it with a one-time code, and sees the registered contract; the form
reflows at 320 px and axe finds no WCAG 2.2 AA violation on the way."""

from __future__ import annotations

import datetime
import re

import pytest

from meis.accounts.models import BindingGrantor
from meis.accounts.tests.factories import IdentityDocumentFactory
from meis.labour.models import Contract
from meis.labour.services import representative_bind
from meis.labour.tests.factories import EmployerFactory
from meis.notifications.models import Message
from meis.registry.tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def _axe(page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)  # not an inline <script>: the CSP refuses those
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [f"{page.url} {v['id']}: {v['help']}" for v in result["violations"]]


def _code_for(person) -> str:
    message = Message.objects.filter(person=person, event="one_time_code").latest("pk")
    return re.search(r"\b(\d{6})\b", message.body_text).group(1)


@pytest.fixture
def world(db):
    document = IdentityDocumentFactory()
    representative = document.person
    employer = EmployerFactory(name="Xəzər Tikinti MMC", address="Bakı, Nizami küç. 1")
    representative_bind(
        employer=employer,
        person=representative,
        actor=None,
        granted_as=BindingGrantor.ADMINISTRATOR,
    )
    worker = PersonFactory()
    return document, representative, employer, worker


def test_a_representative_signs_in_notifies_a_hire_and_sees_the_contract(
    browser, live_server, world, axe_source
):
    document, representative, employer, worker = world
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations: list[str] = []

    page.goto(f"{live_server.url}/az/")
    page.click("#navigation a[href$='/sign-in/']")
    page.fill("#id_document_number", document.number)
    page.fill("#id_fin", representative.fin)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/sign-in/code/"))
    page.fill("#id_code", _code_for(representative))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/my/record/"))

    for lang in ("az", "en", "ru"):  # the menu with "Employer" still fits on one row at 1280 px
        page.goto(f"{live_server.url}/{lang}/")
        tops = page.evaluate(
            "() => [...document.querySelectorAll('#navigation .govuk-service-navigation__item')]"
            ".map((item) => Math.round(item.getBoundingClientRect().top))"
        )
        assert len(set(tops)) == 1, f"the menu wraps in {lang}: {tops}"
    page.goto(f"{live_server.url}/az/my/record/")
    page.click("#navigation a[href$='/employer/']")
    page.wait_for_url(re.compile(rf"/employer/{employer.voen}/$"))
    assert employer.voen in page.inner_text("main")
    violations += _axe(page, axe_source)

    page.click(f"main a[href$='/employer/{employer.voen}/contracts/new/']")
    page.wait_for_url(re.compile(r"/contracts/new/$"))
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the hire form scrolls sideways at 320 px ({width} px)"
    violations += _axe(page, axe_source)
    page.set_viewport_size({"width": 1280, "height": 900})

    # First with a wage the form cannot read: the error is named at the top and on the field.
    today = datetime.date.today().isoformat()
    page.fill("#id_employee_fin", worker.fin)
    page.select_option("#id_occupation_code", "2512")
    page.fill("#id_position", "Proqramçı")
    page.fill("#id_workplace", "Bakı ofisi")
    page.fill("#id_monthly_wage", "min beş yüz")
    page.fill("#id_weekly_hours", "40")
    page.fill("#id_concluded_on", today)
    page.fill("#id_start_on", today)
    page.click("main form button[type=submit]")
    assert page.locator(".govuk-error-summary a[href='#id_monthly_wage']").count() == 1
    violations += _axe(page, axe_source)

    page.fill("#id_monthly_wage", "1 500,00")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/confirm/$"))
    assert worker.fin in page.inner_text("main")
    violations += _axe(page, axe_source)
    assert not Contract.objects.exists()

    page.fill("#id_code", _code_for(representative))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/contracts/\d+/$"))
    contract = Contract.objects.get(person=worker, employer=employer)
    main = page.inner_text("main")
    assert contract.number in main
    assert worker.fin in main
    assert Message.objects.filter(person=worker, event="contract_registered").exists()
    violations += _axe(page, axe_source)
    context.close()
    assert violations == []
