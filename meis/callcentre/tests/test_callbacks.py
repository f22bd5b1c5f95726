"""Call backs: promised on a call, due by the end of the next working day, taken from a shared
queue by one operator at a time, and closed once the person is reached (or after three tries)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from meis.audit.models import AuditEvent
from meis.callcentre.models import Call, Callback, CallbackStatus, CallDirection, CallOutcome
from meis.callcentre.services import CallActionError, callback_due_at, callback_take
from meis.callcentre.tests.conftest import answer, call_url, desk, topic

pytestmark = pytest.mark.django_db


def promise(client, call, **overrides):
    data = {
        "action": "callback",
        "phone": "050 123 45 67",
        "callback_topic": topic("disability").pk,
        "note": "Find out when the commission sits.",
        **overrides,
    }
    return client.post(call_url(call), data)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def test_a_call_back_is_due_by_the_end_of_the_next_working_day():
    # Thursday 19 March 2020: Novruz and the days transferred to it rest 20–28 March, and the
    # decree made Sunday 29 March a working day — the decreed calendar, not a plain "tomorrow".
    assert callback_due_at(local(2020, 3, 19, 11, 0)) == local(2020, 3, 29, 18, 0)
    # Friday 4 December 2026 → Monday 7 December.
    assert callback_due_at(local(2026, 12, 4, 17, 59)) == local(2026, 12, 7, 18, 0)


def test_an_operator_promises_a_call_back_on_the_call_and_it_waits_in_the_queue(operator_):
    client = desk(operator_)
    call = answer(client)

    response = promise(client, call)
    twice = promise(client, call)  # a double click

    assert response.status_code == 302
    assert twice.status_code == 302
    callback = Callback.objects.get()
    assert callback.phone == "+994501234567"
    assert callback.status == CallbackStatus.WAITING
    assert callback.requested_in == call
    page = client.get(call_url(call)).content.decode()
    assert "Disability assessment" in page.split('data-testid="callbacks-promised"', 1)[1]
    queue = client.get(reverse("callcentre:callbacks")).content.decode()
    assert "Disability assessment" in queue
    assert "+994501234567" not in queue
    assert "1 call back waiting" in client.get(reverse("callcentre:calls")).content.decode()


def test_a_wrong_number_gets_a_clear_answer_and_the_note_is_kept(operator_):
    client = desk(operator_)
    call = answer(client)

    response = promise(client, call, phone="12345")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Phone to call back: Enter a mobile number like 050 123 45 67" in page
    assert "Find out when the commission sits." in page
    assert not Callback.objects.exists()


def test_taking_a_call_back_starts_a_call_that_shows_the_number_and_audits_reading_it(
    operator_, operator_2
):
    promise(desk(operator_), answer(desk(operator_)))
    callback = Callback.objects.get()
    client = desk(operator_2)

    response = client.post(reverse("callcentre:callback_take", args=[callback.pk]))

    call = Call.objects.get(callback=callback)
    assert response["Location"] == call_url(call)
    assert call.direction == CallDirection.CALL_BACK
    assert call.operator == operator_2
    page = client.get(call_url(call)).content.decode()
    assert "+994501234567" in page.split('data-testid="callback-phone"', 1)[1]
    assert AuditEvent.objects.filter(actor=operator_2, purpose="call back").exists()
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.CALLING
    assert callback.taken_by == operator_2

    second = desk(operator_).post(
        reverse("callcentre:callback_take", args=[callback.pk]), follow=True
    )
    assert "no longer waiting" in second.content.decode()
    assert Call.objects.filter(callback=callback).count() == 1


def test_no_answer_three_times_closes_the_call_back_as_not_reached(operator_, operator_2):
    promise(desk(operator_), answer(desk(operator_)))
    callback = Callback.objects.get()
    client = desk(operator_2)
    for attempt in range(1, 4):
        client.post(reverse("callcentre:callback_take", args=[callback.pk]))
        call = Call.objects.get(callback=callback, ended_at__isnull=True)
        client.post(
            call_url(call),
            {"action": "end", "topic": topic("disability").pk, "outcome": CallOutcome.NO_ANSWER},
        )
        callback.refresh_from_db()
        assert callback.attempts == attempt
    assert callback.status == CallbackStatus.UNREACHABLE
    assert callback.closed_at is not None
    assert "Nobody is waiting" in client.get(reverse("callcentre:callbacks")).content.decode()


def test_reaching_the_person_closes_the_call_back(operator_, operator_2):
    promise(desk(operator_), answer(desk(operator_)))
    callback = Callback.objects.get()
    client = desk(operator_2)
    client.post(reverse("callcentre:callback_take", args=[callback.pk]))
    call = Call.objects.get(callback=callback)

    client.post(
        call_url(call),
        {"action": "end", "topic": topic("disability").pk, "outcome": CallOutcome.INFORMATION},
    )

    callback.refresh_from_db()
    assert callback.status == CallbackStatus.DONE
    assert callback.attempts == 1


def test_an_operator_on_a_call_cannot_take_a_call_back(operator_):
    client = desk(operator_)
    call = answer(client)
    promise(client, call)
    callback = Callback.objects.get()

    with translation.override("en"), pytest.raises(CallActionError, match="still on a call"):
        callback_take(callback=callback, operator=operator_)

    callback.refresh_from_db()
    assert callback.status == CallbackStatus.WAITING
    assert callback.taken_by is None


@pytest.mark.django_db(transaction=True)
def test_two_operators_taking_the_same_call_back_at_once_make_one_call(operator_, operator_2):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    promise(desk(operator_), answer(desk(operator_)))
    desk(operator_).post(
        call_url(Call.objects.get()),
        {"action": "end", "topic": topic("other").pk, "outcome": CallOutcome.CALLBACK_PROMISED},
    )
    callback = Callback.objects.get()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(operator) -> None:
        barrier.wait()
        try:
            with translation.override("en"):
                callback_take(callback=callback, operator=operator)
            outcomes.append("taken")
        except CallActionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(op,)) for op in (operator_, operator_2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "taken"]
    assert Call.objects.filter(callback=callback).count() == 1
