"""Writing audit events: the one function every app calls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from meis.audit.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from meis.registry.models import Person


def client_address_from(request: HttpRequest | None) -> str | None:
    """The client's address as the web server saw it (the proxy sets REMOTE_ADDR in production)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: AuditAction | str,
    actor: User | AnonymousUser | None,
    actor_role: str = "",
    actor_institution: str = "",
    person: Person | None = None,
    obj: Any = None,
    purpose: str = "",
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction of the read or change it records."""
    user = actor if actor is not None and not actor.is_anonymous else None
    return AuditEvent.objects.create(
        action=str(action),
        actor=user,
        actor_role=actor_role,
        actor_institution=actor_institution,
        person=person,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        purpose=purpose[:255],
        client_address=client_address_from(request),
        details=details or {},
    )


def person_reads_record(
    *,
    actor: User | AnonymousUser | None = None,
    actor_role: str,
    actor_institution: str,
    reads: Sequence[tuple[int, Any]],
    purpose: str,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """One PERSON_READ event per (person id, object) read together — a page of a list a client
    or a staff member read — written in one statement; each shows in that person's "who looked
    at my data"."""
    address = client_address_from(request)
    user = actor if actor is not None and not actor.is_anonymous else None
    events = [
        AuditEvent(
            action=AuditAction.PERSON_READ,
            actor=user,
            actor_role=actor_role,
            actor_institution=actor_institution,
            person_id=person_id,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            purpose=purpose[:255],
            client_address=address,
            details=details or {},
        )
        for person_id, obj in reads
    ]
    if events:
        AuditEvent.objects.bulk_create(events)
    return len(events)
