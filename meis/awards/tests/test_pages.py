# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""The citizen's awards page shows current, suspended and past awards with why; a family whose
assistance is ending applies again from it, on a form filled in from their last application."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from meis.accounts.services import citizen_account_get_or_create
from meis.awards.models import AwardKind
from meis.awards.services import award_suspend, awards_end_due
from meis.awards.tests.factories import granted
from meis.cases.models import ApplicationDraft, Case, CaseStatus
from meis.cases.services import case_submit
from meis.cases.tests.conftest import answers, pdf
from meis.catalog.selectors import eservice_version_current
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.proactive.tests.factories import DisabilityDecisionFactory
from meis.registry.tests.factories import PersonFactory

MARCH_2020 = datetime.date(2020, 3, 1)
SERVICE = "targeted-social-assistance"


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    templates_seed(Template)


def signed_in(person) -> Client:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    return client


def test_the_citizen_sees_past_and_suspended_awards_with_the_reason(db: None, case_worker):
    person = PersonFactory(birth_on=datetime.date(1980, 1, 1), preferred_language="en")
    DisabilityDecisionFactory(
        person=person, decided_on=MARCH_2020, reexamine_on=datetime.date(2020, 9, 1)
    )  # ends six months' grace later, on 28 February 2021
    disability = granted(person, AwardKind.DISABILITY_BENEFIT, MARCH_2020)
    assistance = granted(person, AwardKind.TARGETED_ASSISTANCE, datetime.date(2020, 9, 1))
    award_suspend(
        award=assistance,
        reason="Change of family not reported",
        actor=case_worker,
        on=datetime.date(2021, 2, 1),
    )
    awards_end_due(on=datetime.date(2021, 3, 2))

    page = signed_in(person).get("/en/my/awards/").content.decode()
    current, past = page.split("Past pensions and benefits")

    assert "Targeted social assistance" in current
    assert "Suspended" in current
    assert "Change of family not reported" in current
    assert "Disability benefit" in past
    assert "The disability re-examination date came" in past
    detail = signed_in(person).get(f"/en/my/awards/{disability.pk}/").content.decode()
    assert "Why it ended" in detail
    assert "has ended" in detail  # the letter, among the award's messages


def test_another_citizen_does_not_see_an_ended_award(db: None) -> None:
    person = PersonFactory()
    award = granted(person, AwardKind.TARGETED_ASSISTANCE, MARCH_2020)
    awards_end_due(on=datetime.date(2021, 3, 2))

    stranger = signed_in(PersonFactory())

    assert stranger.get(f"/en/my/awards/{award.pk}/").status_code == 404
    assert "Targeted social assistance" not in stranger.get("/en/my/awards/").content.decode()


def test_the_renewal_is_filled_in_from_the_last_application(db: None) -> None:
    catalog_import_seed()
    version = eservice_version_current(code=SERVICE)
    family_head = PersonFactory(preferred_language="en")
    user = citizen_account_get_or_create(person=family_head)
    last_application = case_submit(
        person=family_head,
        version=version,
        answers=answers(members="5"),
        channel="portal",
        actor=user,
        centre=ServiceCentre.objects.order_by("code")[0],
        contact_channel="portal",
        contact_value="",
        idempotency_key="last-application",
        documents=[("identity_card", pdf()), ("family_composition_certificate", pdf())],
    )
    # That application was approved long ago: an open one would bar a second (one ÜDSY
    # application per family at a time), so the renewal could not start.
    Case.objects.filter(pk=last_application.case.pk).update(status=CaseStatus.APPROVED)
    granted(family_head, AwardKind.TARGETED_ASSISTANCE, MARCH_2020)
    awards_end_due(on=datetime.date(2021, 1, 29))  # the reminder, 30 days before the end
    client = signed_in(family_head)

    awards_page = client.get("/en/my/awards/").content.decode()
    reminder = Message.objects.get(
        person=family_head, event="award_renewal_reminder", channel="portal"
    )
    link = "/en/apply/targeted-social-assistance/"
    started = client.post(link)
    questions = client.get(started["Location"]).content.decode()

    assert f'href="{link}"' in awards_page
    assert link in reminder.body_text
    renewal = ApplicationDraft.objects.get(person=family_head, case__isnull=True)
    assert renewal.answers["members"] == "5"
    assert renewal.answers["income_12_months_qepik"] == "4800.00"  # manat, as typed
    assert renewal.answers["has_vehicle"] == "no"
    assert 'value="5"' in questions
