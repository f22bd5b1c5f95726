"""Reading the audit trail: the auditor's search and the citizen's "who looked at my data"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
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
class AccessLogEntry:
    """One look at a person's data as the person sees it: no staff names, no addresses."""

    occurred_at: datetime.datetime
    institution: str
    role: str
    purpose: str


def person_access_log(*, person: Person, limit: int = 200) -> list[AccessLogEntry]:
    """Who looked at `person`'s data: every look by someone other than the person themselves."""
    events = (
        AuditEvent.objects.filter(person=person, action__in=LOOK_ACTIONS)
        .exclude(actor__citizen_account__person=person)
        .only("occurred_at", "actor_institution", "actor_role", "purpose")
        .order_by("-occurred_at", "-id")[:limit]
    )
    return [
        AccessLogEntry(
            occurred_at=event.occurred_at,
            institution=event.actor_institution,
            role=event.actor_role,
            purpose=event.purpose,
        )
        for event in events
    ]
