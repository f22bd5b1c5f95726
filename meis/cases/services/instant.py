"""Instant services (E-Arayış certificates): filed and decided by the system at once."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from meis.cases.models import Case, CaseEvent, CaseStatus, ContactChannel
from meis.cases.services.common import Actor, case_usage
from meis.cases.services.submit import case_submit
from meis.catalog.models import EServiceVersion
from meis.centres.models import ServiceCentre
from meis.registry.models import Person
from meis.usage.models import UsageKind


@transaction.atomic
def case_submit_instant(
    *,
    person: Person,
    version: EServiceVersion,
    answers: Mapping[str, Any],
    channel: str,
    actor: Actor,
    centre: ServiceCentre,
    idempotency_key: str,
    decided_at: datetime.datetime,
    note: str,
    request: HttpRequest | None = None,
) -> Case:
    """File an application to an instant service and record it as approved at `decided_at`.

    One transaction: the case as `case_submit` files it (timeline, `case.submit` audit event,
    usage event, acknowledgement), then approved with no deadline left, the approval on the
    timeline as the system's with `note` (what was issued), and a "completed" usage event. The
    result goes to the portal only. What was issued is the caller's to record and audit, with
    the case it returns.
    """
    case = case_submit(
        person=person,
        version=version,
        answers=answers,
        channel=channel,
        actor=actor,
        centre=centre,
        contact_channel=ContactChannel.PORTAL,
        contact_value="",
        idempotency_key=idempotency_key,
        request=request,
    ).case
    # The case was filed in this transaction: no one else can have changed it since.
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.APPROVED, decided_at=decided_at, due_on=None, version=F("version") + 1
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.APPROVED,
        occurred_at=decided_at,
        actor=None,
        actor_role="system",
        status_after=CaseStatus.APPROVED,
        note=note,
    )
    case_usage(case, UsageKind.INSTANT, occurred_at=decided_at, channel=channel)
    case.refresh_from_db()
    return case
