"""The information-request and decision letters print their dates, day month-name year in the
letter's language — never "… tarixinədək" with the date left out."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from meis.cases import services
from meis.cases.services.delivery import decision_notify
from meis.cases.services.requests import information_answer_by
from meis.cases.tests.test_services import submit
from meis.notifications.models import Message

pytestmark = pytest.mark.django_db

# Wednesday 1 April 2020, in Baku.
ASKED_AT = datetime.datetime(2020, 4, 1, 10, tzinfo=datetime.UTC)


def _asked(citizen, version, centre, worker, language: str) -> Message:
    citizen.preferred_language = language
    citizen.save(update_fields=["preferred_language"])
    with time_machine.travel(ASKED_AT):
        case = submit(citizen, version, centre).case
        case = services.case_claim(case=case, actor=worker, expected_version=case.version)
        services.case_request_information(
            case=case, actor=worker, text="Send the utility bills.", expected_version=case.version
        )
    return Message.objects.get(event="information_requested", channel="portal")


def test_the_answer_by_date_is_ten_working_days_on(db):
    # 1 April 2020 + 10 national working days: weekends skipped, no holiday in between.
    assert information_answer_by(datetime.date(2020, 4, 1)) == datetime.date(2020, 4, 15)


def test_the_information_request_gives_the_date_in_azerbaijani(citizen, version, centre, worker):
    message = _asked(citizen, version, centre, worker, "az")
    assert "15 aprel 2020 tarixinədək" in message.body_text
    assert " tarixinədək" not in message.body_text.replace("15 aprel 2020 tarixinədək", "")


def test_the_information_request_gives_the_date_in_english(citizen, version, centre, worker):
    message = _asked(citizen, version, centre, worker, "en")
    assert "by 15 April 2020" in message.body_text


def test_the_decision_letter_states_when_it_was_decided(citizen, version, centre):
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    case = submit(citizen, version, centre).case
    with time_machine.travel(datetime.datetime(2020, 4, 2, 10, tzinfo=datetime.UTC)):
        decision_notify(case)
    letter = Message.objects.get(event="case_decision", channel="portal")
    assert "Decided on 2 April 2020." in letter.body_text
