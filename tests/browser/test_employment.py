"""The employment service in Chromium: from the home page a citizen signs in, finds "My
registration with the employment service" on their record, registers (the form's errors first),
sees the status the registers decided and a suggested vacancy, and opens it; an employment
officer reaches the employment centre from the staff home, finds the person by FİN and refers
them. Every page passes axe-core (WCAG 2.2 AA) at 1280 px and at 320 px with no sideways scroll."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from meis.accounts.tests import factories
from meis.catalog.services import catalog_import_seed
from meis.employment.models import JobSeeker, Referral, SeekerStatus, Vacancy
from meis.employment.search import fold
from meis.labour.models import Occupation
from meis.labour.tests.factories import EmployerFactory
from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from meis.registry.models import Region
from meis.registry.tests.factories import PersonFactory
from tests.browser.test_award_page import accessible_at_every_width
from tests.browser.test_case_journey import _sign_in_staff
from tests.browser.test_my_contracts import _sign_in_from_home

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def _open_vacancy() -> Vacancy:
    title = "Proqramçı (veb xidmətləri)"
    occupation = Occupation.objects.get(code="2512")
    return Vacancy.objects.create(
        employer=EmployerFactory.create(name="Xəzər Rəqəmsal MMC"),
        occupation=occupation,
        title=title,
        description="Django və PostgreSQL ilə iş.",
        region=Region.BAKU,
        workplace="Bakı, Nizami küç. 10",
        salary_qepik=180_000,
        weekly_hours=40,
        closes_on=timezone.localdate() + datetime.timedelta(days=20),
        posted_at=timezone.now(),
        search_text=fold(f"{title} {occupation.title_az}"),
    )


def test_a_citizen_registers_finds_a_vacancy_and_an_officer_refers_them(
    browser, live_server, axe_source
):
    templates_seed(Template)
    catalog_import_seed()
    citizen = PersonFactory.create(birth_on=datetime.date(1990, 5, 1), region=Region.BAKU)
    document = factories.IdentityDocumentFactory(person=citizen)
    vacancy = _open_vacancy()
    officer = factories.staff_user("case_worker", centre_code="baku-1", subsystems=("employment",))
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    _sign_in_from_home(page, live_server.url, document, citizen)
    page.click("main >> text=My registration with the employment service")
    page.wait_for_url(f"{live_server.url}/en/my/employment/")
    violations = accessible_at_every_width(page, axe_source, "my employment (not registered)")
    page.set_viewport_size(DESKTOP)
    page.click("main >> text=Register as a job seeker or unemployed")
    page.wait_for_url(f"{live_server.url}/en/my/employment/register/")
    assert page.locator("[data-testid=unemployed-allowed]").count() == 1
    page.click("main form button[type=submit]")  # nothing answered: the error summary
    page.wait_for_selector(".govuk-error-summary")
    violations |= accessible_at_every_width(page, axe_source, "register (errors)")
    page.set_viewport_size(DESKTOP)
    page.check("#id_is_employed_otherwise_0")
    page.select_option("#id_education", "bachelor")
    page.select_option("#id_occupation_1", "2512")
    page.fill("#id_desired_salary", "1200")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/en/my/employment/")
    assert page.inner_text("[data-testid=status]") == "Unemployed"
    assert vacancy.title in page.inner_text("[data-testid=suggestions]")
    violations |= accessible_at_every_width(page, axe_source, "my employment (registered)")
    page.set_viewport_size(DESKTOP)
    page.click(f"[data-testid=suggestions] >> text={vacancy.title}")
    page.wait_for_url(re.compile(rf"/vacancies/{vacancy.pk}/$"))
    assert "Xəzər Rəqəmsal MMC" in page.inner_text("main")
    violations |= accessible_at_every_width(page, axe_source, "vacancy")
    context.close()
    assert JobSeeker.objects.get(person=citizen).status == SeekerStatus.UNEMPLOYED

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_staff(page, live_server.url, officer)
    page.click("main >> text=Employment centre: job seekers and referrals")
    page.wait_for_url(f"{live_server.url}/en/backoffice/employment/")
    violations |= accessible_at_every_width(page, axe_source, "employment centre")
    page.set_viewport_size(DESKTOP)
    page.fill("#id_fin", citizen.fin)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/backoffice/employment/people/\d+/$"))
    violations |= accessible_at_every_width(page, axe_source, "job seeker")
    page.set_viewport_size(DESKTOP)
    page.click("[data-testid=suggestions] button >> text=Refer")
    page.wait_for_selector("[data-testid=referrals] >> text=Awaiting the employer's answer")
    context.close()

    assert Referral.objects.get().vacancy == vacancy
    assert violations == {}, violations
    assert errors == []
