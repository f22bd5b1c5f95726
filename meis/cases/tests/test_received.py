"""The "application received" acknowledgement: queued by case_submit in its transaction, once
per case, in the applicant's language, with the reference and the legal due date."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
import time_machine

from meis.cases import services
from meis.cases.models import Case
from meis.cases.tests.test_services import submit
from meis.notifications.events import EVENTS, EventCode
from meis.notifications.models import Message, Template

pytestmark = pytest.mark.django_db


def _received(case: Case) -> Any:
    return Message.objects.filter(event=EventCode.CASE_RECEIVED, case_reference=case.reference)


def test_the_event_is_declared_and_its_templates_are_seeded_in_three_languages() -> None:
    assert EventCode.CASE_RECEIVED in EVENTS
    assert set(
        Template.objects.filter(event=EventCode.CASE_RECEIVED).values_list("language", flat=True)
    ) == {"az", "en", "ru"}


def test_submit_queues_the_acknowledgement_with_reference_and_due_date(
    citizen: Any, version: Any, centre: Any
) -> None:
    citizen.preferred_language = "en"
    citizen.save()
    with time_machine.travel(datetime.datetime(2020, 3, 19, 10, tzinfo=datetime.UTC)):
        case = submit(citizen, version, centre).case

    message = _received(case).get()
    assert message.channel == "portal"
    assert message.person == citizen
    assert case.reference in message.subject
    assert case.reference in message.body_text
    assert "16 April 2020" in message.body_text  # 15 working days, Novruz 2020 skipped
    assert "targeted state social assistance" in message.body_text


def test_the_acknowledgement_is_in_the_applicants_language(
    citizen: Any, version: Any, centre: Any
) -> None:
    citizen.preferred_language = "ru"
    citizen.save()
    case = submit(citizen, version, centre).case

    assert "принято" in _received(case).get().subject


def test_a_verified_contact_gets_it_too(citizen: Any, version: Any, centre: Any) -> None:
    citizen.verified_phone = "+994501234567"
    citizen.save()
    case = submit(
        citizen, version, centre, contact_channel="sms", contact_value="+994501234567"
    ).case

    channels = dict(_received(case).values_list("channel", "recipient"))
    assert set(channels) == {"portal", "sms"}
    assert channels["sms"] == "+994501234567"


def test_a_double_submit_acknowledges_once(citizen: Any, version: Any, centre: Any) -> None:
    key = str(uuid.uuid4())
    first = submit(citizen, version, centre, key=key).case
    submit(citizen, version, centre, key=key)

    assert _received(first).count() == 1


def test_a_refused_submission_leaves_no_acknowledgement(
    citizen: Any, version: Any, centre: Any
) -> None:
    with pytest.raises(services.CaseInvalid):
        submit(citizen, version, centre, documents=[])

    assert Case.objects.count() == 0
    assert not Message.objects.filter(event=EventCode.CASE_RECEIVED).exists()
