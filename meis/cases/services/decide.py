"""Decide: approve, or refuse with one of the service's legal reasons; the citizen is told."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meis.cases.models import Case, CaseEvent, CaseStatus
from meis.cases.reasons import refusal_reasons
from meis.cases.services.common import Actor, case_audit, event_add
from meis.cases.services.delivery import decision_notify, decision_text
from meis.cases.services.errors import CaseActionError
from meis.cases.services.transitions import require_worker, transition


def _decide(
    *,
    case: Case,
    actor: Actor,
    status: str,
    reason: str,
    note: str,
    expected_version: int,
    request: HttpRequest | None,
) -> Case:
    require_worker(actor, case)
    case = transition(
        case=case,
        expected_version=expected_version,
        allowed=[CaseStatus.IN_REVIEW],
        status=status,
        decided_at=timezone.now(),
        decision_reason=reason,
        decision_note=note.strip(),
    )
    kind = CaseEvent.Kind.APPROVED if status == CaseStatus.APPROVED else CaseEvent.Kind.REJECTED
    # The timeline keeps the decision as the citizen was told it: in their language, not the
    # case worker's.
    with translation.override(case.person.preferred_language or "az"):
        citizen_text = decision_text(case)
    event_add(case, kind, actor=actor, status_after=status, note=citizen_text)
    case_audit(case, f"case.{status}", actor, request, reason=reason)
    decision_notify(case)
    return case


@transaction.atomic
def case_approve(
    *,
    case: Case,
    actor: Actor,
    expected_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    return _decide(
        case=case,
        actor=actor,
        status=CaseStatus.APPROVED,
        reason="",
        note=note,
        expected_version=expected_version,
        request=request,
    )


@transaction.atomic
def case_reject(
    *,
    case: Case,
    actor: Actor,
    reason: str,
    expected_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Refuse with one of the service's legal reasons (see `reasons.refusal_reasons`)."""
    if reason not in refusal_reasons(case.service_version.definition["code"]):
        raise CaseActionError(_("Choose the legal reason for the refusal."))
    return _decide(
        case=case,
        actor=actor,
        status=CaseStatus.REJECTED,
        reason=reason,
        note=note,
        expected_version=expected_version,
        request=request,
    )
