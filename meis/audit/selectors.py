"""Reading the audit trail: the auditor's search and the citizen's "who looked at my data"."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from meis.audit.models import AuditAction, AuditEvent
from meis.registry.models import Person

# What counts as a look at a person's data, including third parties checking a certificate.
LOOK_ACTIONS = (
    AuditAction.PERSON_READ,
    AuditAction.PERSON_SEARCH,
    AuditAction.PERSON_CHANGE,
    "certificate.verify",
)


def audit_search(
    *,
    fin: str = "",
    actor_username: str = "",
    occurred_from: datetime.date | None = None,
    occurred_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events matching every given criterion, newest first (dates inclusive, in local time)."""
    events = AuditEvent.objects.select_related("actor", "person")
    if fin:
        events = events.filter(person__fin=fin)
    if actor_username:
        events = events.filter(actor__username=actor_username)
    if occurred_from:
        events = events.filter(occurred_at__gte=_start_of(occurred_from))
    if occurred_to:
        events = events.filter(occurred_at__lt=_start_of(occurred_to + datetime.timedelta(days=1)))
    return events.order_by("-occurred_at", "-id")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class AccessLogLine:
    """One line of "who looked at my data": one reader's looks at one thing (the person's record,
    a certificate) on one day, counted, with the reasons they gave, newest first."""

    on: datetime.date
    last_at: datetime.datetime
    institution: str
    role: str
    times: int
    purposes: tuple[str, ...]


def _looks_at(person: Person) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(person=person, action__in=LOOK_ACTIONS).exclude(
        actor__citizen_account__person=person
    )


_LINE_KEY = ("actor_id", "actor_institution", "actor_role", "object_type", "object_id")


def person_access_lines(*, person: Person) -> QuerySet[AuditEvent, dict[str, Any]]:
    """The groups of `person_access_log_page`, newest first: one per reader, thing and local day.
    A reader is the staff user, or for an anonymous certificate check the organisation named."""
    return (
        _looks_at(person)
        .annotate(on=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("on", *_LINE_KEY)
        .annotate(times=Count("id"), last_at=Max("occurred_at"))
        .order_by("-on", "-last_at", *_LINE_KEY)
    )


def person_access_log_page(
    *, groups: Iterable[dict[str, Any]], person: Person
) -> list[AccessLogLine]:
    """The lines for one page of `person_access_lines`, each with its distinct purposes."""
    groups = list(groups)
    if not groups:
        return []
    days = [group["on"] for group in groups]
    events = (
        _looks_at(person)
        .filter(
            occurred_at__gte=_start_of(min(days)),
            occurred_at__lt=_start_of(max(days) + datetime.timedelta(days=1)),
        )
        .only("occurred_at", "purpose", *_LINE_KEY)
        .order_by("occurred_at", "id")
    )
    purposes: dict[tuple[object, ...], dict[str, None]] = {}
    for event in events:
        key = (timezone.localdate(event.occurred_at), *(getattr(event, f) for f in _LINE_KEY))
        purposes.setdefault(key, {})[event.purpose] = None
    return [
        AccessLogLine(
            on=group["on"],
            last_at=group["last_at"],
            institution=group["actor_institution"],
            role=group["actor_role"],
            times=group["times"],
            purposes=tuple(
                p for p in purposes.get((group["on"], *(group[f] for f in _LINE_KEY)), {}) if p
            ),
        )
        for group in groups
    ]
