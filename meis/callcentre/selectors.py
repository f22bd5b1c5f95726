"""Reads of the call log: an operator's calls, the call-back queue, the day's figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NoReturn

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from meis.accounts.access import actor_roles, role_codes, staff_institution
from meis.accounts.roles import Role
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.callcentre.models import Call, Callback, CallbackStatus, CallTopic
from meis.cases.models import Case


def operator_get(*, actor: User | AnonymousUser, request: HttpRequest | None, page: str) -> User:
    """The signed-in call-centre operator; PermissionDenied, audited, for every other role."""
    if isinstance(actor, User) and Role.CALL_CENTRE_OPERATOR in actor_roles(actor):
        return actor
    _refuse(actor, request, page)


def _refuse(actor: User | AnonymousUser, request: HttpRequest | None, page: str) -> NoReturn:
    audit_record(
        action=AuditAction.ACCESS_REFUSED,
        actor=actor,
        actor_role=role_codes(actor_roles(actor)),
        actor_institution=staff_institution(actor),
        request=request,
        details={"page": page},
    )
    raise PermissionDenied


def callback_phone_read(*, callback: Callback, operator: User, request: HttpRequest | None) -> str:
    """The number to call back, the reading audited (a phone number is personal data)."""
    audit_record(
        action=AuditAction.PERSON_READ if callback.person_id else AuditAction.OTHER,
        actor=operator,
        actor_role=Role.CALL_CENTRE_OPERATOR,
        actor_institution=staff_institution(operator),
        person=callback.person,
        obj=callback,
        purpose="call back",
        request=request,
    )
    return callback.phone


def call_open_for(*, operator: User) -> Call | None:
    """The call the operator is on now, if any."""
    return Call.objects.filter(operator=operator, ended_at__isnull=True).first()


def call_get_for_operator(*, operator: User, reference: str) -> Call | None:
    """One of the operator's own calls; another operator's call is not theirs to see."""
    return (
        Call.objects.select_related("topic", "callback", "callback__topic")
        .filter(operator=operator, reference=reference)
        .first()
    )


def calls_of_operator_on(*, operator: User, day: datetime.date) -> QuerySet[Call]:
    """The operator's calls that started on `day` (local time), the latest first."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return (
        Call.objects.select_related("topic")
        .filter(
            operator=operator,
            started_at__gte=start,
            started_at__lt=start + datetime.timedelta(days=1),
        )
        .order_by("-started_at")
    )


def calls_to_log(*, operator: User) -> QuerySet[Call]:
    """The operator's ended calls whose topic or outcome is not yet written down."""
    return Call.objects.filter(
        operator=operator, ended_at__isnull=False, logged_at__isnull=True
    ).order_by("started_at")


def topics_offered() -> QuerySet[CallTopic]:
    return CallTopic.objects.filter(is_active=True)


def cases_of_caller(*, call: Call) -> list[Case]:
    """The caller's applications an operator may link to the call, the newest first."""
    if call.caller_id is None:
        return []
    return list(Case.objects.filter(person_id=call.caller_id).order_by("-submitted_at")[:50])


def cases_filed_on(*, call: Call) -> set[int]:
    """Applications the operator filed for the caller during this call (linked by default)."""
    if call.caller_id is None:
        return set()
    filed = Case.objects.filter(
        person_id=call.caller_id, acting_user_id=call.operator_id, submitted_at__gte=call.started_at
    )
    if call.ended_at is not None:
        filed = filed.filter(submitted_at__lte=call.ended_at)
    return set(filed.values_list("pk", flat=True))


def callback_queue() -> QuerySet[Callback]:
    """Call backs still to make, the earliest deadline first."""
    return (
        Callback.objects.select_related("topic")
        .filter(status__in=[CallbackStatus.WAITING, CallbackStatus.CALLING])
        .order_by("due_at", "pk")
    )


@dataclass(frozen=True)
class CallbackCounts:
    waiting: int
    overdue: int


def callback_counts(*, now: datetime.datetime | None = None) -> CallbackCounts:
    now = now or timezone.now()
    waiting = Callback.objects.filter(status=CallbackStatus.WAITING)
    return CallbackCounts(waiting=waiting.count(), overdue=waiting.filter(due_at__lt=now).count())


@dataclass(frozen=True)
class TopicCount:
    topic: CallTopic | None
    calls: int


@dataclass(frozen=True)
class DaySummary:
    calls: int
    identified: int
    average: datetime.timedelta | None
    by_topic: list[TopicCount]


def day_summary(*, day: datetime.date) -> DaySummary:
    """The call centre's day: calls taken, callers identified, average length, calls per topic."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    calls = Call.objects.filter(
        started_at__gte=start, started_at__lt=start + datetime.timedelta(days=1)
    )
    ended = [
        call.duration
        for call in calls.filter(ended_at__isnull=False).only("started_at", "ended_at")
    ]
    lengths = [length for length in ended if length is not None]
    average = sum(lengths, datetime.timedelta()) / len(lengths) if lengths else None
    topics = {topic.pk: topic for topic in CallTopic.objects.all()}
    by_topic = [
        TopicCount(topics.get(row["topic"]) if row["topic"] else None, row["n"])
        for row in calls.values("topic").annotate(n=Count("pk")).order_by("-n", "topic")
    ]
    return DaySummary(
        calls=calls.count(),
        identified=calls.filter(caller__isnull=False).count(),
        average=average,
        by_topic=by_topic,
    )
