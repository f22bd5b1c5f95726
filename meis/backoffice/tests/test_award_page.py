"""The staff page of an award: reached from the case that granted it; suspend and resume with a
reason the person is told; nobody opens an award of a person they may not see."""

from __future__ import annotations

import datetime
from typing import cast

import pytest
from django.test import Client

from meis.accounts.testing import otp_verified
from meis.audit.models import AuditEvent
from meis.awards.models import AwardKind, AwardStatus
from meis.awards.tests.factories import granted
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.registry.models import Person
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award():
    templates_seed(Template)
    person = cast(Person, PersonFactory())
    return granted(person, AwardKind.OLD_AGE_PENSION, datetime.date(2020, 3, 1))


def page(award) -> str:
    return f"/en/backoffice/awards/{award.pk}/"


def test_an_administrator_suspends_an_award_with_a_reason_and_the_person_is_told(
    administrator, award
):
    client = otp_verified(Client(), administrator)
    assert 'data-testid="award-action"' in client.get(page(award)).content.decode()

    response = client.post(page(award), {"action": "suspend", "reason": "Lives abroad."})

    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == AwardStatus.SUSPENDED
    assert Message.objects.filter(person=award.person, event="award_suspended").exists()
    assert AuditEvent.objects.filter(action="award.suspend").exists()
    shown = client.get(page(award)).content.decode()
    assert "Lives abroad." in shown
    assert "Resume the award" in shown


def test_a_suspended_award_is_resumed_with_a_reason(administrator, award):
    client = otp_verified(Client(), administrator)
    client.post(page(award), {"action": "suspend", "reason": "Lives abroad."})

    client.post(page(award), {"action": "resume", "reason": "Came back."})

    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE
    assert Message.objects.filter(person=award.person, event="award_resumed").exists()


def test_suspending_without_a_reason_says_so_and_changes_nothing(administrator, award):
    client = otp_verified(Client(), administrator)

    response = client.post(page(award), {"action": "suspend", "reason": "  "})

    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE


def test_an_analyst_is_refused_and_a_case_worker_without_access_finds_nothing(
    analyst, case_worker, award
):
    assert otp_verified(Client(), analyst).get(page(award)).status_code == 403
    assert otp_verified(Client(), case_worker).get(page(award)).status_code == 404
    assert (
        otp_verified(Client(), case_worker)
        .post(page(award), {"action": "suspend", "reason": "x"})
        .status_code
        == 404
    )
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE


def test_an_unknown_award_is_not_found(administrator):
    assert (
        otp_verified(Client(), administrator).get("/en/backoffice/awards/999999/").status_code
        == 404
    )
