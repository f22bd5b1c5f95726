"""Work the task queue and the scheduler run: the pre-check and the escalation of breaches."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from meis.audit.services import audit_record
from meis.cases.models import OPEN_STATUSES, Case, CaseEvent
from meis.cases.services.common import event_add


def case_precheck_store(*, case_id: int) -> str:
    """Evaluate the service's handler on the case and store its pre-check (idempotent)."""
    from meis.cases.selectors import case_pre_check

    case = Case.objects.select_related("service_version").get(pk=case_id)
    Case.objects.filter(pk=case.pk).update(pre_check=case_pre_check(case))
    return case.reference


def cases_escalate_breached(*, on: date | None = None) -> int:
    """Mark open cases past their due date as escalated to the centre head (once per case)."""
    today = on or timezone.localdate()
    count = 0
    for case in Case.objects.filter(
        status__in=OPEN_STATUSES, due_on__lt=today, escalated_at__isnull=True
    ).select_related("person"):
        with transaction.atomic():
            if Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            ):
                event_add(
                    case,
                    CaseEvent.Kind.ESCALATED,
                    actor=None,
                    status_after=case.status,
                    is_internal=True,
                )
                audit_record(
                    action="case.escalate",
                    actor=None,
                    actor_role="system",
                    person=case.person,
                    obj=case,
                    purpose=case.reference,
                    details={"due_on": str(case.due_on)},
                )
                count += 1
    return count
