"""A call back promised on a 142 call counts when it is promised and once more when it is closed:
called back — with the wait from the promise to the call that reached the person, and whether
that was by the deadline (the end of the next working day) — or not reached after three tries.
The dashboard's call-back figures come from these events through the rollups."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from meis.callcentre.models import Callback, CallOutcome, CallTopic
from meis.callcentre.services import (
    call_answer,
    call_log_save,
    callback_request,
    callback_take,
)
from meis.usage.models import UsageEvent, UsageKind
from meis.usage.selectors import Callbacks, Period, callbacks
from meis.usage.services import rollup_refresh

pytestmark = pytest.mark.django_db

BAKU = datetime.timezone(datetime.timedelta(hours=4))
MONDAY = datetime.datetime(2020, 3, 16, 10, tzinfo=BAKU)  # due by Tuesday 17 March, 18:00
WEDNESDAY = datetime.datetime(2020, 3, 18, 9, tzinfo=BAKU)


def promise(operator: User, at: datetime.datetime, topic: str = "disability") -> Callback:
    """A call answered at `at` on which a call back is promised a minute later."""
    call = call_answer(operator=operator, now=at)
    callback = callback_request(
        call=call,
        phone="+994501234567",
        topic=CallTopic.objects.get(code=topic),
        note="When does the commission sit?",
        now=at + datetime.timedelta(minutes=1),
    )
    call_log_save(
        call=call,
        operator=operator,
        topic=callback.topic,
        outcome=CallOutcome.CALLBACK_PROMISED,
        notes="",
        end=True,
        now=at + datetime.timedelta(minutes=2),
    )
    return callback


def call_back(
    callback: Callback,
    operator: User,
    at: datetime.datetime,
    outcome: str = CallOutcome.INFORMATION,
) -> None:
    call = callback_take(callback=callback, operator=operator, now=at)
    call_log_save(
        call=call,
        operator=operator,
        topic=callback.topic,
        outcome=outcome,
        notes="",
        end=True,
        now=at + datetime.timedelta(minutes=4),
    )


def test_a_call_back_counts_when_promised_and_when_made_with_its_wait(operators):
    first, second = operators
    callback = promise(first, MONDAY)

    promised = UsageEvent.objects.get(kind=UsageKind.CALLBACK_REQUESTED)
    assert (promised.day, promised.service_code, promised.channel) == (
        datetime.date(2020, 3, 16),
        "disability",
        "call_centre",
    )
    assert (promised.measure, promised.on_time, promised.region) == (None, None, "")
    assert not UsageEvent.objects.filter(kind=UsageKind.CALLBACK_CLOSED).exists()

    call_back(callback, second, MONDAY + datetime.timedelta(hours=3, minutes=1))

    made = UsageEvent.objects.get(kind=UsageKind.CALLBACK_CLOSED)
    assert (made.outcome, made.service_code, made.channel) == ("done", "disability", "call_centre")
    assert made.measure == 3 * 3600  # promised at 10:01, called back at 13:01
    assert made.on_time is True
    assert UsageEvent.objects.filter(kind=UsageKind.CALL).count() == 2  # the call back is a call
    assert UsageEvent.objects.filter(kind=UsageKind.CALLBACK_REQUESTED).count() == 1


def test_a_late_call_back_and_one_never_reached_are_counted_as_such(operators):
    first, second = operators
    late = promise(first, MONDAY)
    never = promise(first, MONDAY + datetime.timedelta(minutes=30), topic="pensions")

    call_back(late, second, WEDNESDAY)  # after Tuesday 18:00
    for attempt in range(3):
        call_back(
            never, second, WEDNESDAY + datetime.timedelta(hours=1 + attempt), CallOutcome.NO_ANSWER
        )

    made = UsageEvent.objects.get(kind=UsageKind.CALLBACK_CLOSED, outcome="done")
    assert made.on_time is False
    assert made.measure == int((WEDNESDAY - MONDAY).total_seconds()) - 60
    not_reached = UsageEvent.objects.get(kind=UsageKind.CALLBACK_CLOSED, service_code="pensions")
    assert (not_reached.outcome, not_reached.measure, not_reached.on_time) == (
        "unreachable",
        None,
        None,
    )
    assert not_reached.day == datetime.date(2020, 3, 18)


def test_the_call_back_figures_are_read_from_the_rollups(operators):
    first, second = operators
    promise(first, MONDAY + datetime.timedelta(hours=5))  # still waiting
    on_time = promise(first, MONDAY)
    late = promise(first, MONDAY + datetime.timedelta(minutes=10))
    never = promise(first, MONDAY + datetime.timedelta(minutes=20), topic="pensions")
    call_back(on_time, second, MONDAY + datetime.timedelta(hours=2, minutes=1))  # 2 h
    call_back(late, second, MONDAY + datetime.timedelta(days=2, minutes=11))  # 48 h
    for attempt in range(3):
        call_back(never, second, WEDNESDAY + datetime.timedelta(hours=attempt), "no_answer")
    rollup_refresh(today=datetime.date(2020, 3, 31))
    UsageEvent.objects.all().delete()  # the figures come from the rollups alone

    disability, pensions = callbacks(Period(datetime.date(2020, 3, 1), datetime.date(2020, 3, 31)))

    assert disability == Callbacks(
        key="disability",
        requested=3,
        done=2,
        on_time=1,
        unreachable=0,
        waited_for=2,
        waited_seconds=50 * 3600,
    )
    assert disability.average_wait_seconds == 25 * 3600
    assert (pensions.key, pensions.requested, pensions.done, pensions.unreachable) == (
        "pensions",
        1,
        0,
        1,
    )
    assert pensions.average_wait_seconds is None
    # The promises were made on Monday; only one call back was made by Monday's end.
    monday = callbacks(Period(datetime.date(2020, 3, 16), datetime.date(2020, 3, 16)))
    assert [(row.key, row.requested, row.done) for row in monday] == [
        ("disability", 3, 1),
        ("pensions", 1, 0),
    ]
