"""What every write of the case engine shares: who acts, the timeline event and the audit event."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django.utils import timezone

from meis.accounts.access import actor_roles, staff_institution
from meis.audit.services import audit_record
from meis.cases.models import Case, CaseEvent
from meis.usage.models import UsageKind
from meis.usage.services import usage_record

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


def case_usage(
    case: Case, kind: UsageKind, *, occurred_at: datetime.datetime, channel: str = "", **extra: Any
) -> None:
    """Count a use of `case`'s e-service (in the caller's transaction): its service, channel, the
    applicant's region and the case's centre — never the person. `source` makes it count once."""
    usage_record(
        kind=kind,
        occurred_at=occurred_at,
        service_code=case.service_version.definition["code"],
        channel=channel or case.channel,
        region=case.person.region,
        centre_code=case.centre.code if case.centre_id else "",
        source=f"case:{case.pk}:{kind}",
        **extra,
    )
