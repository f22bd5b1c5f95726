"""What every write of the case engine shares: who acts, the timeline event and the audit event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django.utils import timezone

from meis.accounts.access import actor_roles, staff_institution
from meis.audit.services import audit_record
from meis.cases.models import Case, CaseEvent

Actor = User | AnonymousUser


def subsystem_code(catalogue_subsystem: str) -> str:
    """The catalogue's subsystem slug as the access roles name it (targeted-assistance → _)."""
    return catalogue_subsystem.replace("-", "_")


def role_of(actor: Actor) -> str:
    """The actor's roles as the audit and the timeline record them ("anonymous" for none)."""
    return ",".join(sorted(actor_roles(actor))) or "anonymous"


def event_add(
    case: Case,
    kind: str,
    *,
    actor: Actor | None,
    status_after: str,
    note: str = "",
    is_internal: bool = False,
    actor_role: str | None = None,
) -> CaseEvent:
    """One timeline entry of `case` (actor None: the system; `actor_role` when already known)."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        occurred_at=timezone.now(),
        actor=actor if isinstance(actor, User) else None,
        actor_role=actor_role or (role_of(actor) if actor is not None else "system"),
        status_after=status_after,
        note=note,
        is_internal=is_internal,
    )


def case_audit(
    case: Case,
    action: str,
    actor: Actor,
    request: HttpRequest | None,
    *,
    actor_role: str | None = None,
    **details: Any,
) -> None:
    """The audit event of an action by `actor` on `case` (`actor_role` when already known)."""
    audit_record(
        action=action,
        actor=actor,
        actor_role=actor_role or role_of(actor),
        actor_institution=staff_institution(actor),
        person=case.person,
        obj=case,
        purpose=case.reference,
        request=request,
        details={"reference": case.reference, **details},
    )
