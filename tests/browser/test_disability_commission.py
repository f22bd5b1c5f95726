"""A disability commission's work in Chromium: from the home page the chair signs in as staff,
finds the commission's referrals on the staff home, opens one under its pseudonym, writes the
decision (a percentage outside the degree's band first: the error summary), signs it; the other
member signs and the decision is final; only then the person's identity is shown. Every page
passes axe-core (WCAG 2.2 AA) at 1280 px and at 320 px with no sideways scroll."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from meis.accounts.tests import factories
from meis.accounts.tests.conftest import totp_now
from meis.certificates.signing import demo_ca_ensure
from meis.disability.models import Commission, Referral, ReferralKind
from meis.disability.reference import clinic_staff_add, member_add, reference_load
from meis.disability.services import referral_issue
from meis.lifeevents.models import DisabilityDecision
from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from meis.registry.models import Region
from meis.registry.tests.factories import PersonFactory
from tests.browser.test_award_page import accessible_at_every_width

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
REGIONAL = "tsek-baku-1"


@pytest.fixture
def signing(settings, tmp_path: Path) -> None:
    """The signed decision's extract is a PDF signed with a demo key."""
    demo_ca_ensure(tmp_path / "signing")
    settings.CERTIFICATE_SIGNING_P12 = str(tmp_path / "signing" / "signing.p12")
    settings.CERTIFICATE_TRUST_ROOTS = str(tmp_path / "signing" / "ca.pem")
    settings.CERTIFICATE_VERIFY_BASE_URL = "https://meis.example"
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _sign_in_staff_from_home(page, base: str, user) -> None:
    page.goto(f"{base}/en/")
    page.click("#navigation >> text=Sign in")
    page.click("main >> text=Staff sign-in")
    page.wait_for_url(re.compile(r"/staff/sign-in/"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.STAFF_PASSWORD)
    page.fill("#id_otp_token", totp_now(user))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/staff/$"))


def test_a_commission_decides_under_a_pseudonym_and_then_sees_the_person(
    browser, live_server, axe_source, signing
):
    templates_seed(Template)
    reference_load(on=datetime.date.today())
    doctor = factories.staff_user("medical_staff")
    clinic_staff_add(user=doctor, institution_code=f"poly-{Region.BAKU.value}")
    chair = factories.staff_user("commission_member")
    member = factories.staff_user("commission_member")
    member_add(user=chair, commission_code=REGIONAL, is_chair=True)
    member_add(user=member, commission_code=REGIONAL)
    person = PersonFactory.create(
        birth_on=datetime.date(1980, 3, 1), region=Region.BAKU, last_name="Məmmədova"
    )
    issued = referral_issue(
        actor=doctor,
        fin=person.fin,
        kind=ReferralKind.INITIAL,
        diagnoses="G35",
        summary="Multiple sclerosis, lower paraparesis; walks with two sticks.",
    )
    Referral.objects.filter(pk=issued.pk).update(commission=Commission.objects.get(code=REGIONAL))
    pseudonym = issued.pseudonym
    errors: list[str] = []

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_staff_from_home(page, live_server.url, chair)
    page.click("main >> text=Referrals with the commission")
    page.wait_for_url(f"{live_server.url}/en/commission/")
    assert person.fin not in page.inner_text("main")
    violations = accessible_at_every_width(page, axe_source, "worklist")
    page.set_viewport_size(DESKTOP)
    page.click(f"[data-testid=worklist] >> text={pseudonym}")
    page.wait_for_url(re.compile(rf"/commission/referrals/{pseudonym}/$"))
    assert "G35" in page.inner_text("[data-testid=diagnoses]")
    violations |= accessible_at_every_width(page, axe_source, "referral")
    page.set_viewport_size(DESKTOP)

    page.click("[data-testid=edit-decision]")
    page.wait_for_url(re.compile(r"/decision/$"))
    violations |= accessible_at_every_width(page, axe_source, "decision form")
    page.set_viewport_size(DESKTOP)
    page.check("#id_established_0")
    page.check("#id_degree_1")  # degree II
    page.fill("#id_percentage", "50")
    page.check("#id_categories_1")
    page.fill("#id_reasoning", "Persistent impairment of mobility.")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    assert "band of degree III" in page.inner_text(".govuk-error-summary")
    violations |= accessible_at_every_width(page, axe_source, "decision form (error)")
    page.set_viewport_size(DESKTOP)
    page.click(".govuk-error-summary a")
    page.fill("#id_percentage", "70")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"/commission/referrals/{pseudonym}/$"))
    page.check("#id_confirm")
    page.click("[data-testid=sign-form] button")
    page.wait_for_selector("[data-testid=signed-waiting]")
    violations |= accessible_at_every_width(page, axe_source, "referral (signed once)")
    context.close()

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_staff_from_home(page, live_server.url, member)
    page.goto(f"{live_server.url}/en/commission/referrals/{pseudonym}/identity/")
    assert person.fin not in page.inner_text("main")
    violations |= accessible_at_every_width(page, axe_source, "identity refused")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/en/commission/referrals/{pseudonym}/")
    page.check("#id_confirm")
    page.click("[data-testid=sign-form] button")
    page.wait_for_selector("[data-testid=final]")
    number = DisabilityDecision.objects.get(person=person).number
    assert number in page.inner_text("[data-testid=decision-number]")
    violations |= accessible_at_every_width(page, axe_source, "referral (final)")
    page.set_viewport_size(DESKTOP)
    page.click("[data-testid=identity-link]")
    page.wait_for_url(re.compile(r"/identity/$"))
    assert person.fin in page.inner_text("[data-testid=identity]")
    violations |= accessible_at_every_width(page, axe_source, "identity")
    context.close()

    assert violations == {}, violations
    assert errors == []
