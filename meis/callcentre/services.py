"""Writes of the call log: answer, identify, log and end a call; promise and make a call back.

Identifying a caller goes through `accounts.services.call_session_start`, which opens the
caller's record to the operator; `CALL_LOG` (registered with accounts in `apps.py`) is told
inside that transaction, so whichever page identified the caller the call is in the log, and
ending the session — here or from the caller's page — ends the call. An operator is on one call
at a time (a partial unique constraint); a call back is taken from the queue by one operator
only (a conditional UPDATE on its status), and a second click or a second operator gets a clear
answer instead of a second call. For the statistics, in the transaction of each: a call counts
once it has ended and been logged, a call back once when promised and once when closed.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.models import CallSession
from meis.accounts.services import call_session_end, call_session_start
from meis.callcentre.models import (
    Call,
    Callback,
    CallbackStatus,
    CallDirection,
    CallOutcome,
    CallTopic,
)
from meis.cases.models import Case, Channel
from meis.registry.models import Person
from meis.usage.models import UsageKind
from meis.usage.services import usage_record
from meis.workcalendar.selectors import add_working_days

# [M] A call back is due by the end of the next working day (the call centre's service level,
# not a legal deadline), 18:00 being when the 142 line's day shift ends (docs/domain.md §10).
CALLBACK_WORKING_DAYS = 1
CALLBACK_DUE_TIME = datetime.time(18, 0)
# [M] After this many unanswered attempts a call back is closed as "not reached".
CALLBACK_MAX_ATTEMPTS = 3
# Outcomes of a call back that did not reach the person: the promise stays open.
NOT_REACHED = {CallOutcome.NO_ANSWER, CallOutcome.DROPPED}


class CallActionError(Exception):
    """The action cannot be done now; the message (translated) says why and what to do."""


def _reference(now: datetime.datetime) -> str:
    return f"142-{timezone.localtime(now):%Y%m%d}-{secrets.token_hex(4).upper()}"


class CallLog:
    """Keeps `Call` in step with the identifications accounts records (see the module)."""

    def started(self, session: CallSession) -> None:
        open_call = (
            Call.objects.select_for_update()
            .filter(operator_id=session.operator_id, ended_at__isnull=True)
            .first()
        )
        if open_call is not None and open_call.caller_id is None:
            open_call.caller_id = session.caller_id
            open_call.session = session
            open_call.save(update_fields=["caller", "session"])
            return
        if open_call is not None:  # another caller's call, not ended through its session
            open_call.ended_at = session.started_at
            open_call.save(update_fields=["ended_at"])
        Call.objects.create(
            reference=session.reference,
            operator_id=session.operator_id,
            started_at=session.started_at,
            caller_id=session.caller_id,
            session=session,
        )

    def ended(self, *, operator_id: int, session_ids: list[int], at: datetime.datetime) -> None:
        for call in Call.objects.select_for_update().filter(
            session_id__in=session_ids, ended_at__isnull=True
        ):
            call.ended_at = max(at, call.started_at)
            call.save(update_fields=["ended_at"])
            _callback_settle(call)
            _count(call)


CALL_LOG = CallLog()


def call_answer(*, operator: User, now: datetime.datetime | None = None) -> Call:
    """Start logging a call the operator has just picked up (nobody identified yet)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return Call.objects.create(reference=_reference(now), operator=operator, started_at=now)
    except IntegrityError:
        raise CallActionError(
            _("You are still on a call. End it before you answer the next one.")
        ) from None


def call_identify(*, call: Call, operator: User, caller: Person) -> Call:
    """Link the caller to the call: from now until it ends the operator may act for them."""
    _still_open(call)
    if call.caller_id is not None:
        raise CallActionError(
            _(
                "The caller on this call is already identified. For another person, end this "
                "call and answer a new one."
            )
        )
    call_session_start(
        operator=operator,
        caller=caller,
        identified_by="document+FIN stated by caller",
        reference=call.reference,
    )
    call.refresh_from_db()
    return call


def call_log_save(
    *,
    call: Call,
    operator: User,
    topic: CallTopic | None,
    outcome: str,
    notes: str,
    cases: Iterable[Case] = (),
    end: bool = False,
    now: datetime.datetime | None = None,
) -> Call:
    """Record what the call was about and how it ended; with `end`, hang up as well.

    While the call is open the applications discussed can be linked (only the caller's own);
    after it has ended the operator may still write down the topic, outcome and notes once
    (after-call work), but the call's record no longer opens the caller's data."""
    now = now or timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if not call.is_open and call.is_logged:
            raise CallActionError(_("This call has ended and its log is complete."))
        if end and (topic is None or not outcome):
            raise CallActionError(_("Choose the topic and the outcome before ending the call."))
        call.topic = topic
        call.outcome = outcome
        call.notes = notes
        if call.is_logged and call.logged_at is None:
            call.logged_at = now
        call.save(update_fields=["topic", "outcome", "notes", "logged_at"])
        if call.is_open:
            if call.caller_id is None:
                call.cases.clear()
            else:
                call.cases.set([case for case in cases if case.person_id == call.caller_id])
        if end and call.is_open:
            if call.session_id is not None:
                call_session_end(operator=operator)  # CALL_LOG ends the call with the session
                call.refresh_from_db()
            else:
                call.ended_at = max(now, call.started_at)
                call.save(update_fields=["ended_at"])
        _callback_settle(call)
        _count(call)
        return call


def call_end(*, call: Call, operator: User, now: datetime.datetime | None = None) -> Call:
    """Hang up without logging yet: the topic and outcome are then written after the call."""
    now = now or timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        _still_open(call)
        if call.session_id is not None:
            call_session_end(operator=operator)
            call.refresh_from_db()
        else:
            call.ended_at = max(now, call.started_at)
            call.save(update_fields=["ended_at"])
        _callback_settle(call)
        _count(call)
        return call


def callback_request(
    *,
    call: Call,
    phone: str,
    topic: CallTopic,
    note: str,
    now: datetime.datetime | None = None,
) -> Callback:
    """Promise, on an open call, to call back by the end of the next working day."""
    now = now or timezone.now()
    _still_open(call)
    with transaction.atomic():
        existing = Callback.objects.filter(
            requested_in=call, phone=phone, topic=topic, status=CallbackStatus.WAITING
        ).first()
        if existing is not None:  # the same promise submitted twice
            return existing
        callback = Callback.objects.create(
            requested_in=call,
            person_id=call.caller_id,
            phone=phone,
            topic=topic,
            note=note,
            requested_at=now,
            due_at=callback_due_at(now),
        )
        usage_record(
            kind=UsageKind.CALLBACK_REQUESTED,
            occurred_at=now,
            service_code=topic.code,
            channel=Channel.CALL_CENTRE,
            source=f"callback:{callback.pk}",
        )
        return callback


def callback_due_at(requested_at: datetime.datetime) -> datetime.datetime:
    """The end of the call centre's day, `CALLBACK_WORKING_DAYS` working days after the request."""
    day = add_working_days(timezone.localdate(requested_at), CALLBACK_WORKING_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, CALLBACK_DUE_TIME))


def callback_take(
    *, callback: Callback, operator: User, now: datetime.datetime | None = None
) -> Call:
    """Take a waiting call back from the queue and start the call that makes it."""
    now = now or timezone.now()
    with transaction.atomic():
        taken = Callback.objects.filter(pk=callback.pk, status=CallbackStatus.WAITING).update(
            status=CallbackStatus.CALLING, taken_by=operator
        )
        if not taken:
            raise CallActionError(
                _("This call back is no longer waiting: another operator has taken or closed it.")
            )
        try:
            with transaction.atomic():
                return Call.objects.create(
                    reference=_reference(now),
                    operator=operator,
                    started_at=now,
                    direction=CallDirection.CALL_BACK,
                    callback=callback,
                )
        except IntegrityError:
            raise CallActionError(
                _("You are still on a call. End it before you answer the next one.")
            ) from None


def _still_open(call: Call) -> None:
    if not call.is_open:
        raise CallActionError(_("This call has ended: you can no longer act for the caller on it."))


def _count(call: Call) -> None:
    """A call counts once, for the statistics, when it has ended and its log is complete: its
    topic (as the service), outcome and length — not who called."""
    if call.is_open or not call.is_logged or call.ended_at is None or call.topic is None:
        return
    usage_record(
        kind=UsageKind.CALL,
        occurred_at=call.started_at,
        service_code=call.topic.code,
        channel=Channel.CALL_CENTRE,
        outcome=call.outcome,
        measure=int((call.ended_at - call.started_at).total_seconds()),
        source=f"call:{call.pk}",
    )


def _callback_settle(call: Call) -> None:
    """A call back whose call has ended and been logged is done, or waits for another try."""
    if call.callback_id is None or call.is_open or not call.is_logged:
        return
    callback = Callback.objects.select_for_update().get(pk=call.callback_id)
    if callback.status != CallbackStatus.CALLING:
        return
    if call.outcome in NOT_REACHED:
        callback.attempts += 1
        if callback.attempts >= CALLBACK_MAX_ATTEMPTS:
            callback.status = CallbackStatus.UNREACHABLE
            callback.closed_at = call.ended_at
        else:
            callback.status = CallbackStatus.WAITING
            callback.taken_by = None
    else:
        callback.attempts += 1
        callback.status = CallbackStatus.DONE
        callback.closed_at = call.ended_at
    callback.save(update_fields=["attempts", "status", "taken_by", "closed_at"])
    if callback.status in (CallbackStatus.DONE, CallbackStatus.UNREACHABLE):
        _callback_count(callback, call)


def _callback_count(callback: Callback, call: Call) -> None:
    """A closed call back counts once, for the statistics, under the topic promised: called back
    — with the wait from the promise to the start of the call that reached the person, and
    whether that was by the deadline — or not reached. Not who was called."""
    done = callback.status == CallbackStatus.DONE
    waited = max(0, int((call.started_at - callback.requested_at).total_seconds()))
    usage_record(
        kind=UsageKind.CALLBACK_CLOSED,
        occurred_at=call.started_at,
        service_code=callback.topic.code,
        channel=Channel.CALL_CENTRE,
        outcome=callback.status,
        measure=waited if done else None,
        on_time=call.started_at <= callback.due_at if done else None,
        source=f"callback:{callback.pk}:closed",
    )
