# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""The citizen's awards page and the analysts' run report, from the side of who is refused."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.tests.factories import staff_user
from meis.awards.models import Award
from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from meis.proactive.services.pipeline import run_execute, run_start
from meis.proactive.tests.factories import InsuranceAccountFactory
from meis.registry.tests.factories import PersonFactory

DAY = datetime.date(2020, 3, 2)


@pytest.fixture
def granted(db: None) -> Award:
    templates_seed(Template)
    person = PersonFactory(sex="M", birth_on=datetime.date(1955, 9, 2), last_name="Qasımov")
    InsuranceAccountFactory(person=person, record_months=320)
    run_execute(run_start(on=DAY, schemes=["old_age_pension"]))
    return Award.objects.get(person=person)


def citizen_client(person: object) -> Client:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    return client


def staff_client(role: str) -> Client:
    user = staff_user(role)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def test_a_citizen_sees_their_award_its_explanation_and_letter(granted: Award) -> None:
    client = citizen_client(granted.person)

    listing = client.get("/en/my/awards/")
    detail = client.get(f"/en/my/awards/{granted.pk}/")

    assert "Old-age labour pension" in listing.content.decode()
    page = detail.content.decode()
    assert "200.00" in page
    assert "How it was calculated" in page
    assert "təyin edilib" in page  # the letter, in the person's language (az)


def test_another_citizens_award_is_not_found(granted: Award) -> None:
    client = citizen_client(PersonFactory())

    assert client.get(f"/en/my/awards/{granted.pk}/").status_code == 404
    assert "Old-age labour pension" not in client.get("/en/my/awards/").content.decode()


def test_an_analyst_sees_the_report_without_personal_data(granted: Award) -> None:
    page = staff_client("analyst").get("/en/backoffice/proactive/")

    content = page.content.decode()
    assert page.status_code == 200
    assert "Grants per day" in content
    assert "<svg" in content
    assert "<table" in content
    assert granted.person.fin not in content
    assert "Qasımov" not in content


def test_a_case_worker_cannot_see_the_report(granted: Award) -> None:
    assert staff_client("case_worker").get("/en/backoffice/proactive/").status_code == 403


def test_the_report_counts_childrens_letters_that_found_no_parent(db: None) -> None:
    from meis.proactive.tests.test_child_letters import day_run, disabled_child

    templates_seed(Template)
    disabled_child()
    day_run()

    content = staff_client("analyst").get("/en/backoffice/proactive/").content.decode()

    assert "Disabled child benefit: 1 child's grant found no parent" in content
