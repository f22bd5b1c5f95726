"""A citizen signs in with identity card + FİN + one-time code in real Chromium, reads their record
in three languages, and sees a case worker's look appear under "who looked at my data"."""

import re

import pytest

from meis.accounts.tests import factories
from meis.accounts.tests.conftest import totp_now
from meis.notifications.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    document = factories.IdentityDocumentFactory()
    citizen = document.person
    factories.registration(citizen, centre_code="baku-1")
    right = factories.staff_user(
        "case_worker",
        centre_code="baku-1",
        subsystems=["targeted_assistance"],
        institution="Baku DOST centre No. 1",
    )
    wrong = factories.staff_user(
        "case_worker",
        centre_code="baku-2",
        subsystems=["targeted_assistance"],
        institution="Baku DOST centre No. 2",
    )
    return document, citizen, right, wrong


def _sign_in_citizen(page, base, document, citizen):
    page.goto(f"{base}/az/sign-in/")
    page.fill("#id_document_number", document.number)
    page.fill("#id_fin", citizen.fin.lower())
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/sign-in/code/"))
    code = re.search(r"\b(\d{6})\b", Message.objects.get(person=citizen).body_text).group(1)
    assert code not in page.content()
    page.fill("#id_code", code)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/my/record/"))


def _sign_in_staff(page, base, user):
    page.goto(f"{base}/en/staff/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.STAFF_PASSWORD)
    page.fill("#id_otp_token", totp_now(user))
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/staff/$"))


def test_a_citizen_signs_in_reads_their_record_and_sees_who_looked(browser, live_server, people):
    document, citizen, right_worker, wrong_worker = people
    base = live_server.url
    citizen_context = browser.new_context(viewport={"width": 375, "height": 800})
    citizen_page = citizen_context.new_page()
    _sign_in_citizen(citizen_page, base, document, citizen)

    for lang in ["az", "en", "ru"]:
        citizen_page.goto(f"{base}/{lang}/my/record/")
        assert citizen_page.get_attribute("html", "lang") == lang
        assert citizen.fin in citizen_page.inner_text("main")
        assert document.number in citizen_page.inner_text("main")

    citizen_page.goto(f"{base}/en/my/who-looked/")
    assert "Baku DOST centre No. 1" not in citizen_page.inner_text("main")

    staff_context = browser.new_context()
    staff_page = staff_context.new_page()
    _sign_in_staff(staff_page, base, right_worker)
    response = staff_page.goto(f"{base}/en/staff/persons/{citizen.pk}/")
    assert response.status == 200
    assert citizen.fin in staff_page.inner_text("main")
    staff_context.close()

    other_context = browser.new_context()
    other_page = other_context.new_page()
    _sign_in_staff(other_page, base, wrong_worker)
    response = other_page.goto(f"{base}/en/staff/persons/{citizen.pk}/")
    assert response.status == 404
    assert citizen.fin not in other_page.content()
    other_context.close()

    citizen_page.goto(f"{base}/en/my/who-looked/")
    looked = citizen_page.inner_text("main")
    assert "Baku DOST centre No. 1" in looked
    assert "Baku DOST centre No. 2" not in looked
    assert right_worker.username not in looked
    citizen_context.close()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def _axe_violations(page, axe_source):
    page.evaluate(axe_source)  # not an inline <script>: the CSP refuses those
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [f"{v['id']}: {v['help']}" for v in result["violations"]]


def test_the_sign_in_pages_and_the_record_have_no_wcag_violations(
    browser, live_server, people, axe_source
):
    document, citizen, _, _ = people
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/az/sign-in/")
    page.click("button[type=submit]")  # empty form: the error summary and field errors
    violations = _axe_violations(page, axe_source)
    _sign_in_citizen(page, live_server.url, document, citizen)
    violations += _axe_violations(page, axe_source)
    page.goto(f"{live_server.url}/az/my/who-looked/")
    violations += _axe_violations(page, axe_source)
    context.close()
    assert violations == []
