# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""An officer suspends an award and resumes it, with a reason; each is audited and told."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.utils import translation

from meis.accounts.services import citizen_account_get_or_create
from meis.audit.models import AuditEvent
from meis.awards.models import AwardEndReason, AwardKind, AwardStatus
from meis.awards.services import (
    AwardError,
    award_grant,
    award_resume,
    award_suspend,
    awards_end_due,
    basis_get_or_create,
)
from meis.awards.tests.factories import granted
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.registry.tests.factories import PersonFactory

MARCH_2020 = datetime.date(2020, 3, 1)
JUNE_2020 = datetime.date(2020, 6, 1)


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    templates_seed(Template)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """These stories read the services' messages in English (the citizens' letters keep their
    own language); without this the active language is whatever the worker's last test left."""
    with translation.override("en"):
        yield


@pytest.fixture
def pension(db: None):
    person = PersonFactory(preferred_language="en", birth_on=datetime.date(1955, 1, 1))
    return granted(person, AwardKind.OLD_AGE_PENSION, MARCH_2020)


def test_a_case_worker_suspends_an_award_with_a_reason_audited_and_told(pension, case_worker):
    award_suspend(
        award=pension, reason="Not collected for 3 months", actor=case_worker, on=JUNE_2020
    )

    assert pension.status == AwardStatus.SUSPENDED
    event = AuditEvent.objects.get(action="award.suspend")
    assert (event.actor, event.person, event.object_id) == (
        case_worker,
        pension.person,
        str(pension.pk),
    )
    assert event.details["reason"] == "Not collected for 3 months"
    [portal, sms] = Message.objects.filter(person=pension.person, event="award_suspended")
    assert "suspended from 1 June 2020" in portal.body_text
    assert "Reason: Not collected for 3 months" in sms.body_text


def test_resuming_closes_the_suspension_audited_and_told(pension, case_worker):
    suspension = award_suspend(
        award=pension, reason="Not collected for 3 months", actor=case_worker, on=JUNE_2020
    )

    award_resume(
        award=pension,
        reason="Collected at the branch",
        actor=case_worker,
        on=JUNE_2020.replace(month=7),
    )

    suspension.refresh_from_db()
    assert pension.status == AwardStatus.ACTIVE
    assert (suspension.resumed_on, suspension.resume_reason, suspension.resumed_by) == (
        datetime.date(2020, 7, 1),
        "Collected at the branch",
        case_worker,
    )
    assert AuditEvent.objects.filter(action="award.resume", actor=case_worker).count() == 1
    [portal, _sms] = Message.objects.filter(person=pension.person, event="award_resumed")
    assert "resumed from 1 July 2020" in portal.body_text


def test_a_suspension_needs_a_reason(pension, case_worker):
    with pytest.raises(AwardError, match="Give the reason for suspending"):
        award_suspend(award=pension, reason="  ", actor=case_worker)

    pension.refresh_from_db()
    assert pension.status == AwardStatus.ACTIVE


def test_only_a_suspended_award_can_be_resumed(pension, case_worker):
    with pytest.raises(AwardError, match="Only a suspended award can be resumed"):
        award_resume(award=pension, reason="Why not", actor=case_worker)


@pytest.mark.parametrize("who", ["citizen", "analyst", "call_centre_operator"])
def test_who_does_not_decide_payments_is_refused(pension, who, analyst, operator):
    actor = {
        "citizen": citizen_account_get_or_create(person=pension.person),
        "analyst": analyst,
        "call_centre_operator": operator,
    }[who]

    with pytest.raises(AwardError, match="Only a case worker, a centre head or an administrator"):
        award_suspend(award=pension, reason="I would rather not be paid", actor=actor)

    pension.refresh_from_db()
    assert pension.status == AwardStatus.ACTIVE
    assert not AuditEvent.objects.filter(action="award.suspend").exists()
    assert not Message.objects.filter(event="award_suspended").exists()


def test_a_suspended_award_is_still_held_and_still_ends(db: None, case_worker):
    person = PersonFactory()
    assistance = granted(person, AwardKind.TARGETED_ASSISTANCE, MARCH_2020)
    award_suspend(award=assistance, reason="Change not reported", actor=case_worker, on=JUNE_2020)

    second = award_grant(
        person=person,
        kind=AwardKind.TARGETED_ASSISTANCE,
        amount_qepik=1,
        start_on=MARCH_2020,
        basis=basis_get_or_create(scheme="targeted_assistance", on=MARCH_2020),
        record={},
    )
    awards_end_due(on=datetime.date(2021, 3, 1))

    assistance.refresh_from_db()
    assert second is None
    assert (assistance.status, assistance.end_reason) == (AwardStatus.ENDED, AwardEndReason.TERM)
