"""A use and its count commit or roll back together: `usage_record` runs inside the transaction
of the use, so when a later write of that same transaction fails, the usage event written a
moment before is gone with the rest — an application, an appeal, a call back made."""

from __future__ import annotations

import datetime
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine

from meis.accounts.services import citizen_account_get_or_create
from meis.callcentre import services as callcentre_services
from meis.callcentre.models import Call, CallbackStatus, CallOutcome
from meis.cases import services as case_services
from meis.cases import tasks
from meis.cases.models import Case
from meis.cases.tests.decisions.stories import file
from meis.usage.models import UsageEvent, UsageKind
from meis.usage.tests.test_callbacks_counted import MONDAY, promise

pytestmark = pytest.mark.django_db

APPEALED = datetime.datetime(2020, 5, 11, 10, tzinfo=datetime.UTC)  # a week after the refusal


class WriteFailed(Exception):
    pass


def fail_after_counting(kind: UsageKind) -> Any:
    """A stand-in for the write that follows the count: it sees the count in the transaction,
    then fails."""

    def write(*args: Any, **kwargs: Any) -> None:
        assert UsageEvent.objects.filter(kind=kind).count() == 1  # counted, not yet committed
        raise WriteFailed

    return write


def test_an_application_whose_transaction_fails_after_the_count_is_not_counted(
    citizen, version, centre, monkeypatch
):
    # The pre-check task row is written right after the usage event (the outbox message).
    stub = SimpleNamespace(enqueue=fail_after_counting(UsageKind.APPLICATION))
    monkeypatch.setattr(tasks, "case_precheck", stub)

    with pytest.raises(WriteFailed):
        file(citizen, centre)

    assert not Case.objects.exists()
    assert not UsageEvent.objects.exists()


def test_an_appeal_whose_transaction_fails_after_the_count_is_not_counted(
    refused_pension, monkeypatch
):
    counted_before = UsageEvent.objects.count()  # the application and its decision
    stub = SimpleNamespace(enqueue=fail_after_counting(UsageKind.APPEAL))
    monkeypatch.setattr(tasks, "case_precheck", stub)

    with time_machine.travel(APPEALED, tick=False), pytest.raises(WriteFailed):
        case_services.case_appeal(
            case=refused_pension,
            actor=citizen_account_get_or_create(person=refused_pension.person),
            grounds="My work-book shows 25 years.",
            idempotency_key=str(uuid.uuid4()),
        )

    assert not Case.objects.filter(appeal_of=refused_pension).exists()
    assert not UsageEvent.objects.filter(kind=UsageKind.APPEAL).exists()
    assert UsageEvent.objects.count() == counted_before


def test_a_call_back_whose_closing_fails_after_the_count_is_not_counted(operators, monkeypatch):
    first, second = operators
    callback = promise(first, MONDAY)
    call = callcentre_services.callback_take(
        callback=callback, operator=second, now=MONDAY + datetime.timedelta(hours=1)
    )
    # Counting the call itself comes right after the call back is closed and counted.
    monkeypatch.setattr(
        callcentre_services, "_count", fail_after_counting(UsageKind.CALLBACK_CLOSED)
    )

    with pytest.raises(WriteFailed):
        callcentre_services.call_log_save(
            call=call,
            operator=second,
            topic=callback.topic,
            outcome=CallOutcome.INFORMATION,
            notes="",
            end=True,
            now=MONDAY + datetime.timedelta(hours=1, minutes=3),
        )

    assert not UsageEvent.objects.filter(kind=UsageKind.CALLBACK_CLOSED).exists()
    callback.refresh_from_db()
    assert (callback.status, callback.closed_at) == (CallbackStatus.CALLING, None)
    assert Call.objects.get(pk=call.pk).ended_at is None
