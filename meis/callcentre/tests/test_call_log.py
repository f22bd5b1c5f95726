"""The 142 call log, as an operator uses it: every call is logged from the moment it is
answered, identified or not; the topic comes from the list the call centre keeps, the outcome
and the applications discussed are recorded, and the call's end closes the caller's record."""

from __future__ import annotations

import datetime
from typing import cast

import pytest
from django.urls import reverse
from django.utils import timezone

from meis.accounts.models import CallSession
from meis.audit.models import AuditAction, AuditEvent
from meis.callcentre.models import Call, Callback, CallOutcome
from meis.callcentre.tests.conftest import answer, call_url, desk, topic
from meis.cases.tests.conftest import staff
from meis.registry.models import Person
from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def identify(client, call, person):
    return client.post(
        call_url(call),
        {
            "action": "identify",
            "identify-document_number": person.documents.get().number,
            "identify-fin": person.fin,
        },
    )


def test_an_information_call_is_logged_without_knowing_who_called(operator_):
    client = desk(operator_)
    call = answer(client)
    page = client.get(call_url(call)).content.decode()
    assert "Not identified" in page
    assert "Identify the caller" in page

    response = client.post(
        call_url(call),
        {
            "action": "end",
            "topic": topic("pensions").pk,
            "outcome": CallOutcome.INFORMATION,
            "notes": "Asked when the pension is indexed.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("callcentre:calls")
    call.refresh_from_db()
    assert call.caller is None
    assert call.session is None
    assert call.topic == topic("pensions")
    assert call.outcome == CallOutcome.INFORMATION
    assert call.ended_at is not None
    assert call.logged_at is not None
    assert call.duration is not None
    assert call.duration >= datetime.timedelta(0)
    calls_page = client.get(reverse("callcentre:calls")).content.decode()
    assert call.reference in calls_page.split('data-testid="calls-today"', 1)[1]
    assert "Pensions" in calls_page.split('data-testid="day-summary"', 1)[1]


def test_ending_a_call_asks_for_its_topic_and_outcome_and_loses_the_notes_typed(operator_):
    client = desk(operator_)
    call = answer(client)

    response = client.post(call_url(call), {"action": "end", "notes": "Half a sentence"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Topic: Choose what the call was about." in page
    assert "Outcome: Choose how the call ended." in page
    assert "Half a sentence" in page
    call.refresh_from_db()
    assert call.is_open


def test_answering_twice_keeps_one_call(operator_):
    client = desk(operator_)
    call = answer(client)

    again = client.post(reverse("callcentre:answer"), follow=True)

    assert Call.objects.count() == 1
    assert again.redirect_chain[-1][0] == call_url(call)
    assert "You are still on a call" in again.content.decode()


def test_identifying_on_the_call_opens_the_callers_record_and_ending_closes_it(operator_, caller):
    client = desk(operator_)
    call = answer(client)

    response = identify(client, call, caller)

    record = reverse("accounts:staff_person", args=[caller.pk])
    assert response.status_code == 302
    assert response["Location"] == record
    call.refresh_from_db()
    assert call.caller == caller
    session = CallSession.objects.get()
    assert call.session == session
    assert session.reference == call.reference
    page = client.get(call_url(call)).content.decode()
    assert caller.full_name in page
    assert record in page
    caller_page = client.get(record).content.decode()
    assert call_url(call) in caller_page  # "Log and end the call" leads back here

    client.post(
        call_url(call),
        {"action": "end", "topic": topic("benefits").pk, "outcome": CallOutcome.INFORMATION},
    )

    session.refresh_from_db()
    call.refresh_from_db()
    assert session.ended_at is not None
    assert call.ended_at == session.ended_at
    assert client.get(record).status_code == 404
    ended_page = client.get(call_url(call)).content.decode()
    assert caller.full_name not in ended_page  # the log no longer shows whose call it was


def test_a_caller_identified_from_the_old_identify_page_is_logged_too(operator_, caller):
    client = desk(operator_)
    client.post(
        reverse("accounts:call_start"),
        {"document_number": caller.documents.get().number, "fin": caller.fin},
    )
    call = Call.objects.get()
    assert call.caller == caller
    assert call.is_open

    client.post(reverse("accounts:call_end"))

    call.refresh_from_db()
    assert not call.is_open
    assert not call.is_logged
    home = client.get(reverse("accounts:staff_home")).content.decode()
    assert "1 call still to log" in home
    to_log = client.get(reverse("callcentre:calls")).content.decode()
    assert call.reference in to_log.split('data-testid="calls-to-log"', 1)[1]

    client.post(
        call_url(call),
        {"action": "end", "topic": topic("certificates").pk, "outcome": CallOutcome.INFORMATION},
    )
    call.refresh_from_db()
    assert call.is_logged

    again = client.post(
        call_url(call),
        {"action": "end", "topic": topic("other").pk, "outcome": CallOutcome.DROPPED},
        follow=True,
    )
    assert "This call has ended and its log is complete." in again.content.decode()
    call.refresh_from_db()
    assert call.topic.code == "certificates"


def test_after_the_call_the_operator_cannot_identify_or_promise_anything_on_it(operator_, caller):
    client = desk(operator_)
    call = answer(client)
    client.post(call_url(call), {"action": "hang-up"})

    identified = identify(client, call, caller)
    promised = client.post(
        call_url(call),
        {
            "action": "callback",
            "phone": "050 123 45 67",
            "callback_topic": topic("pensions").pk,
            "note": "x",
        },
        follow=True,
    )

    assert identified.status_code == 302
    call.refresh_from_db()
    assert call.caller is None
    assert not CallSession.objects.exists()
    assert "This call has ended" in promised.content.decode()
    assert not Callback.objects.exists()


def test_applications_discussed_are_the_callers_own_and_those_filed_on_the_call(operator_, caller):
    from meis.backoffice.tests.test_staff_home import case_with_clock
    from meis.catalog.selectors import eservice_version_current
    from meis.catalog.services import catalog_import_seed
    from meis.centres.models import ServiceCentre
    from meis.workcalendar.arithmetic import DeadlineStatus

    catalog_import_seed()
    version = eservice_version_current(code="targeted-social-assistance")
    centre = ServiceCentre.objects.order_by("code")[0]
    own = case_with_clock(version, centre, DeadlineStatus.ON_TRACK, applicant=caller)
    stranger = cast(Person, PersonFactory())
    IdentityDocumentFactory(person=stranger)
    someone_elses = case_with_clock(version, centre, DeadlineStatus.ON_TRACK, applicant=stranger)
    client = desk(operator_)
    call = answer(client)
    identify(client, call, caller)
    page = client.get(call_url(call)).content.decode()
    assert own.reference in page
    assert someone_elses.reference not in page

    refused = client.post(
        call_url(call),
        {"action": "save", "cases": [someone_elses.pk], "topic": topic("application-status").pk},
    )
    assert refused.status_code == 400
    assert "Choose only the caller&#x27;s own applications." in refused.content.decode()

    client.post(
        call_url(call),
        {
            "action": "end",
            "cases": [own.pk],
            "topic": topic("application-status").pk,
            "outcome": CallOutcome.INFORMATION,
        },
    )
    call.refresh_from_db()
    assert list(call.cases.all()) == [own]
    assert own.reference in client.get(call_url(call)).content.decode()


def test_control_characters_and_overlong_notes_get_a_clear_answer(operator_):
    client = desk(operator_)
    call = answer(client)

    nul = client.post(call_url(call), {"action": "save", "notes": "a\x00b"})
    long = client.post(call_url(call), {"action": "save", "notes": "x" * 1001})

    assert nul.status_code == 400
    assert "Remove the control characters" in nul.content.decode()
    assert long.status_code == 400
    assert "at most 1,000 characters" in long.content.decode()


def test_only_operators_open_the_call_log_and_only_their_own_calls(operator_, operator_2):
    worker = staff("w9", "case_worker", None, [])
    refused = desk(worker).get(reverse("callcentre:calls"))
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS_REFUSED, actor=worker, details__page="call log"
    ).exists()
    assert desk(worker).post(reverse("callcentre:answer")).status_code == 403

    call = answer(desk(operator_))
    assert desk(operator_2).get(call_url(call)).status_code == 404
    assert desk(operator_2).get(reverse("callcentre:calls") + "nonsense%00/").status_code == 404


def test_an_unknown_action_changes_nothing(operator_):
    client = desk(operator_)
    call = answer(client)
    response = client.post(call_url(call), {"action": "delete"}, follow=True)
    assert "Choose what to do with the call." in response.content.decode()
    call.refresh_from_db()
    assert call.is_open


def test_the_day_summary_counts_calls_per_topic_and_their_average_length(operator_, operator_2):
    from meis.callcentre.selectors import day_summary

    now = timezone.now()
    for operator, minutes, code in ((operator_, 2, "pensions"), (operator_2, 4, "pensions")):
        Call.objects.create(
            reference=f"142-X-{operator.pk}",
            operator=operator,
            started_at=now - datetime.timedelta(minutes=minutes),
            ended_at=now,
            topic=topic(code),
            outcome=CallOutcome.INFORMATION,
        )

    summary = day_summary(day=timezone.localdate(now))

    assert summary.calls == 2
    assert summary.identified == 0
    assert summary.average == datetime.timedelta(minutes=3)
    assert [(row.topic, row.calls) for row in summary.by_topic] == [(topic("pensions"), 2)]
