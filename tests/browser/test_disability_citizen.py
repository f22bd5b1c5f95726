"""Disability assessment in Chromium: a citizen with a commission's decision signs in from the
home page, finds "Disability assessment: my referrals and decisions" on their record, sees the
decision and its signed extract, appeals (the form's error first) and sees the referral; a
polyclinic's doctor reaches the referrals from the staff home and refers a patient (the form's
error first). Every page passes axe-core (WCAG 2.2 AA) at 1280 px and 320 px, no sideways scroll."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from meis.accounts.tests import factories
from meis.certificates.signing import demo_ca_ensure
from meis.disability.models import Referral, ReferralKind
from meis.disability.reference import CENTRAL, clinic_staff_add, member_add, reference_load
from meis.disability.services import DecisionDraft, decision_draft, decision_sign, referral_issue
from meis.disability.terms import add_months
from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from meis.registry.models import Region
from meis.registry.tests.factories import PersonFactory
from tests.browser.test_award_page import accessible_at_every_width
from tests.browser.test_case_journey import _sign_in_staff
from tests.browser.test_my_contracts import _sign_in_from_home

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
REGIONAL = "tsek-baku-1"


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("signing")
    demo_ca_ensure(directory)
    return directory


@pytest.fixture(autouse=True)
def _signing_key(settings, signing_dir: Path, tmp_path: Path) -> None:
    """The signed extract of a decision (the live server runs in this process)."""
    settings.CERTIFICATE_SIGNING_P12 = str(signing_dir / "signing.p12")
    settings.CERTIFICATE_TRUST_ROOTS = str(signing_dir / "ca.pem")
    settings.CERTIFICATE_VERIFY_BASE_URL = "https://meis.example"
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _cast():
    """A Baku polyclinic's doctor; the Baku regional and the central commission, two each."""
    reference_load(on=timezone.localdate())
    doctor = factories.staff_user("medical_staff")
    clinic_staff_add(user=doctor, institution_code=f"poly-{Region.BAKU.value}")
    members = {}
    for code in (REGIONAL, CENTRAL):
        chair = factories.staff_user("commission_member")
        member = factories.staff_user("commission_member")
        member_add(user=chair, commission_code=code, is_chair=True)
        member_add(user=member, commission_code=code)
        members[code] = (chair, member)
    return doctor, members


def _decided(person, doctor, members) -> None:
    referral = referral_issue(
        actor=doctor,
        fin=person.fin,
        kind=ReferralKind.INITIAL,
        diagnoses="G35",
        summary="Multiple sclerosis; walks with two sticks.",
    )
    chair, member = members[referral.commission.code]
    decision = decision_draft(
        actor=chair,
        referral=referral,
        draft=DecisionDraft(
            is_established=True,
            degree="II",
            percentage=70,
            categories=["mobility"],
            cause="general_illness",
            reexamine_on=add_months(timezone.localdate(), 12),
            reasoning="Moderate-to-severe impairment of mobility.",
        ),
    )
    decision_sign(actor=chair, decision=decision)
    decision_sign(actor=member, decision=decision)


def test_a_citizen_appeals_and_a_doctor_refers_a_patient(browser, live_server, axe_source):
    templates_seed(Template)
    doctor, members = _cast()
    citizen = PersonFactory.create(birth_on=datetime.date(1980, 3, 1), region=Region.BAKU)
    document = factories.IdentityDocumentFactory(person=citizen)
    _decided(citizen, doctor, members)
    patient = PersonFactory.create(birth_on=datetime.date(1975, 6, 1), region=Region.BAKU)

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_from_home(page, live_server.url, document, citizen)
    page.click("main >> text=Disability assessment: my referrals and decisions")
    page.wait_for_url(f"{live_server.url}/en/my/disability/")
    assert "degree II" in page.inner_text("[data-testid=decision]")
    assert page.locator("[data-testid=extract]").count() == 1
    violations = accessible_at_every_width(page, axe_source, "my disability (decided)")
    page.set_viewport_size(DESKTOP)
    page.click("main >> text=Appeal against the decision")
    page.wait_for_url(re.compile(r"/my/disability/request/\?kind=appeal$"))
    page.click("main form button[type=submit]")  # no grounds: the error summary
    page.wait_for_selector(".govuk-error-summary")
    violations |= accessible_at_every_width(page, axe_source, "self-referral (errors)")
    page.set_viewport_size(DESKTOP)
    page.fill("#id_grounds", "I still cannot walk without help.")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/en/my/disability/")
    appeal = Referral.objects.get(person=citizen, kind=ReferralKind.APPEAL)
    assert appeal.number in page.inner_text(".govuk-notification-banner")
    violations |= accessible_at_every_width(page, axe_source, "my disability (appealed)")
    context.close()

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in_staff(page, live_server.url, doctor)
    page.click("main >> text=Referrals to expert commissions")
    page.wait_for_url(f"{live_server.url}/en/clinic/referrals/")
    violations |= accessible_at_every_width(page, axe_source, "clinic referrals")
    page.set_viewport_size(DESKTOP)
    page.click("main >> text=New referral")
    page.wait_for_url(f"{live_server.url}/en/clinic/referrals/new/")
    page.click("main form button[type=submit]")  # nothing filled in: the error summary
    page.wait_for_selector(".govuk-error-summary")
    violations |= accessible_at_every_width(page, axe_source, "new referral (errors)")
    page.set_viewport_size(DESKTOP)
    page.fill("#id_fin", patient.fin)
    page.check("#id_kind_0")
    page.fill("#id_diagnoses", "I63.5, G81.1")
    page.fill("#id_summary", "Stroke in March; right-sided hemiparesis.")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/en/clinic/referrals/")
    referral = Referral.objects.get(person=patient)
    assert referral.number in page.inner_text(".govuk-notification-banner")
    assert referral.number in page.inner_text("[data-testid=clinic-referrals]")
    violations |= accessible_at_every_width(page, axe_source, "clinic referrals (issued)")
    context.close()

    assert referral.diagnoses == ["I63.5", "G81.1"]
    assert violations == {}, violations
    assert errors == []
