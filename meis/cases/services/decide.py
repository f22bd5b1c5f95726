"""Decide: approve (granting the award) or refuse with a legal reason; four eyes for a departure.

    in_review ─approve | reject, as the rules find→ approved | rejected            (taken at once)
    in_review ─approve | reject, departing, with a reason→ awaiting_confirmation   (proposed)
    awaiting_confirmation ─confirm (a second officer)→ approved | rejected         (taken)
    awaiting_confirmation ─return (a second officer, with a note)→ in_review       (returned)

A decision departs from the rules' result when it approves another amount than they compute,
approves what they refuse, or refuses what they find eligible (`Departure`). The case worker
then says why, and nothing takes effect — no award, no letter; the applicant sees "being
decided" — until a second officer confirms it: the head of the case's centre or another case
worker of that centre and subsystem, never the one who proposed (`require_second_officer`; the
database refuses it too).

The rules' result is evaluated when deciding (`case_rules_result` on the day the application
was filed), not read from the stored pre-check: the registers may have changed since. A
rules-backed service cannot be approved while its rules cannot assess the case (a fact is
missing): ask for the information first. A service without rules is decided by the case worker
alone and grants no award. An appeal is decided by neither officer of the decision appealed.

Each function is one transaction: the conditional UPDATE of the case (of two officers acting on
the same version exactly one wins, the other gets `CaseConflict`), the decision row, the award
(`awarding`), the timeline and audit events and the letter to the applicant (`delivery`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meis.accounts.access import actor_roles, role_codes
from meis.accounts.roles import Role
from meis.accounts.selectors import staff_profile_get
from meis.cases.decision_selectors import (
    Rules,
    award_held,
    decision_proposed,
    decision_taken,
    rules_for,
)
from meis.cases.models import (
    Case,
    CaseDecision,
    CaseEvent,
    CaseStatus,
    DecisionOutcome,
    DecisionState,
    Departure,
)
from meis.cases.reasons import decision_reasons
from meis.cases.services.awarding import Granted, award_for_decision
from meis.cases.services.common import Actor, case_audit, case_usage, event_add, role_of
from meis.cases.services.delivery import decision_notify, decision_text
from meis.cases.services.errors import CaseActionError, IllegalTransition
from meis.cases.services.transitions import (
    require_current,
    require_not_original_decider,
    require_status,
    require_worker,
    transition,
)
from meis.catalog.handlers import PreCheckOutcome
from meis.usage.models import UsageKind
from meis.workcalendar.selectors import working_days_between


@dataclass(frozen=True)
class Intent:
    """What the deciding officer asks for."""

    outcome: str
    amount_qepik: int | None = None
    reason: str = ""
    note: str = ""
    departure_reason: str = ""
    is_handover_in_person: bool = False


@transaction.atomic
def case_approve(
    *,
    case: Case,
    actor: Actor,
    expected_version: int,
    note: str = "",
    amount_qepik: int | None = None,
    departure_reason: str = "",
    request: HttpRequest | None = None,
    is_handover_in_person: bool = False,
) -> Case:
    """Approve; for a rules-backed service, grant the award (the rules' amount by default).

    `is_handover_in_person`: the result is collected at a centre (meis.appointments opens the
    pickup and tells the applicant when it is ready).

    Another amount, or approving what the rules refuse, needs `departure_reason` and waits for a
    second officer (the case is then "awaiting_confirmation")."""
    intent = Intent(
        DecisionOutcome.APPROVE,
        amount_qepik,
        "",
        note.strip(),
        departure_reason,
        is_handover_in_person=is_handover_in_person,
    )
    return _decide(case=case, actor=actor, intent=intent, version=expected_version, request=request)


@transaction.atomic
def case_reject(
    *,
    case: Case,
    actor: Actor,
    reason: str,
    expected_version: int,
    note: str = "",
    departure_reason: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Refuse with one of the service's legal reasons (see `reasons.refusal_reasons`).

    Refusing what the rules find eligible needs `departure_reason` and a second officer."""
    code = case.service_version.definition["code"]
    if reason not in decision_reasons(code, is_appeal=case.appeal_of_id is not None):
        raise CaseActionError(_("Choose the legal reason for the refusal."))
    intent = Intent(DecisionOutcome.REJECT, None, reason, note.strip(), departure_reason)
    return _decide(case=case, actor=actor, intent=intent, version=expected_version, request=request)


@transaction.atomic
def case_decision_confirm(
    *,
    case: Case,
    actor: Actor,
    expected_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """A second officer confirms the proposed departure: it takes effect (award, letter)."""
    require_status(case, [CaseStatus.AWAITING_CONFIRMATION], expected_version=expected_version)
    require_current(case, expected_version=expected_version)
    proposal = _proposal(case)
    require_second_officer(actor, case, proposal)
    rules = rules_for(case)
    if proposal.outcome == DecisionOutcome.APPROVE and (rules is None or not rules.is_assessed):
        raise CaseActionError(
            _("The rules can no longer assess this application. Return it to the case worker.")
        )
    now = timezone.now()
    case = transition(
        case=case,
        expected_version=expected_version,
        allowed=[CaseStatus.AWAITING_CONFIRMATION],
        status=_status(proposal.outcome),
        decided_at=now,
        decision_reason=proposal.reason,
        decision_note=proposal.note,
    )
    CaseDecision.objects.filter(pk=proposal.pk, state=DecisionState.PROPOSED).update(
        state=DecisionState.TAKEN, reviewed_by=actor, reviewed_at=now, review_note=note.strip()
    )
    proposal.refresh_from_db()
    _take_effect(case, proposal, rules, actor=actor, request=request)
    return case


@transaction.atomic
def case_decision_return(
    *,
    case: Case,
    actor: Actor,
    expected_version: int,
    note: str,
    request: HttpRequest | None = None,
) -> Case:
    """A second officer returns the proposed departure, saying why: the case is reviewed again."""
    if not note.strip():
        raise CaseActionError(_("Say why you return the decision, for the case worker."))
    require_status(case, [CaseStatus.AWAITING_CONFIRMATION], expected_version=expected_version)
    require_current(case, expected_version=expected_version)
    proposal = _proposal(case)
    require_second_officer(actor, case, proposal)
    case = transition(
        case=case,
        expected_version=expected_version,
        allowed=[CaseStatus.AWAITING_CONFIRMATION],
        status=CaseStatus.IN_REVIEW,
    )
    CaseDecision.objects.filter(pk=proposal.pk, state=DecisionState.PROPOSED).update(
        state=DecisionState.RETURNED,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        review_note=note.strip(),
    )
    event_add(
        case,
        CaseEvent.Kind.DECISION_RETURNED,
        actor=actor,
        status_after=case.status,
        note=note.strip(),
        is_internal=True,
    )
    case_audit(case, "case.decision_return", actor, request, decision=proposal.pk)
    return case


# -- who may decide --------------------------------------------------------------------------


def require_second_officer(actor: Actor, case: Case, proposal: CaseDecision) -> None:
    """CaseActionError unless the actor may confirm or return `proposal`: the head of the case's
    centre, or a case worker of that centre and subsystem — never the one who proposed it."""
    if actor.pk == proposal.proposed_by_id:
        raise CaseActionError(
            _(
                "You proposed this decision: a second officer (the head of the centre or another "
                "case worker) must confirm or return it."
            )
        )
    roles = actor_roles(actor)
    profile = staff_profile_get(user=actor)
    in_centre = profile is not None and profile.centre_id == case.centre_id
    is_head = Role.CENTRE_HEAD in roles and in_centre
    is_peer = (
        Role.CASE_WORKER in roles
        and in_centre
        and profile is not None
        and case.subsystem in (profile.subsystems or [])
    )
    if not (is_head or is_peer):
        raise CaseActionError(
            _(
                "Only the head of this centre or a case worker of this centre and subsystem can "
                "confirm or return a decision."
            )
        )
    require_not_original_decider(actor, case)


# -- the rules' result and the departure from it -------------------------------------------


def departure_of(rules: Rules | None, intent: Intent, *, standing: int | None = None) -> str:
    """How `intent` departs from the rules' result ("" when it follows them). CaseActionError
    for an approval the rules cannot back (facts missing) or that names no amount.

    `standing` is, for an appeal, the amount of the award the appealed decision granted (None
    if it granted none): dismissing the appeal keeps it, which follows the rules when they
    compute that same amount."""
    if rules is None:
        return Departure.NONE
    outcome = rules.result.outcome
    if intent.outcome == DecisionOutcome.REJECT:
        is_eligible = outcome == PreCheckOutcome.ELIGIBLE
        if standing is not None and is_eligible and standing == rules.result.amount_qepik:
            return Departure.NONE
        return Departure.REFUSES_ELIGIBLE if is_eligible else Departure.NONE
    if not rules.is_assessed:
        raise CaseActionError(
            _(
                "The rules could not assess this application, so there is no amount to grant. "
                "Ask the applicant for the missing information first."
            )
        )
    if intent.amount_qepik is not None and intent.amount_qepik <= 0:
        raise CaseActionError(_("An approved award needs an amount above zero."))
    if outcome == PreCheckOutcome.NOT_ELIGIBLE:
        if intent.amount_qepik is None:
            raise CaseActionError(
                _("The rules refuse this application: give the amount you approve, and why.")
            )
        return Departure.APPROVES_REFUSAL
    if intent.amount_qepik is not None and intent.amount_qepik != rules.result.amount_qepik:
        return Departure.AMOUNT
    return Departure.NONE


# -- deciding --------------------------------------------------------------------------------


def _decide(
    *, case: Case, actor: Actor, intent: Intent, version: int, request: HttpRequest | None
) -> Case:
    require_status(case, [CaseStatus.IN_REVIEW], expected_version=version)
    roles = actor_roles(actor)
    require_worker(actor, case, roles=roles)
    assert isinstance(actor, User)  # noqa: S101 — only staff users work cases
    require_not_original_decider(actor, case)
    rules = rules_for(case)
    departure = departure_of(rules, intent, standing=_standing_amount(case))
    if departure and not intent.departure_reason.strip():
        raise CaseActionError(
            _(
                "This decision departs from the rules' result (%(departure)s). Say why: a second "
                "officer must then confirm it."
            )
            % {"departure": Departure(departure).label}
        )
    now = timezone.now()
    status = CaseStatus.AWAITING_CONFIRMATION if departure else _status(intent.outcome)
    fields = {} if departure else {"decided_at": now, "decision_reason": intent.reason}
    if not departure:
        fields["decision_note"] = intent.note
    case = transition(
        case=case,
        expected_version=version,
        allowed=[CaseStatus.IN_REVIEW],
        status=status,
        **fields,
    )
    amount = intent.amount_qepik
    if amount is None and intent.outcome == DecisionOutcome.APPROVE and rules is not None:
        amount = rules.result.amount_qepik
    decision = CaseDecision.objects.create(
        case=case,
        outcome=intent.outcome,
        amount_qepik=amount,
        reason=intent.reason,
        note=intent.note,
        departure=departure,
        departure_reason=intent.departure_reason.strip() if departure else "",
        rules_outcome=str(rules.result.outcome) if rules is not None else "",
        rules_amount_qepik=rules.result.amount_qepik if rules is not None else None,
        rules_trace=dict(rules.result.trace) if rules is not None else {},
        state=DecisionState.PROPOSED if departure else DecisionState.TAKEN,
        is_handover_in_person=intent.is_handover_in_person,
        proposed_by=actor,
        proposed_at=now,
    )
    if departure:
        _proposed(case, decision, actor=actor, request=request)
    else:
        _take_effect(case, decision, rules, actor=actor, request=request, role=role_codes(roles))
    return case


def _proposed(
    case: Case, decision: CaseDecision, *, actor: Actor, request: HttpRequest | None
) -> None:
    event_add(
        case,
        CaseEvent.Kind.DECISION_PROPOSED,
        actor=actor,
        status_after=case.status,
        note=f"{Departure(decision.departure).label}: {decision.departure_reason}",
        is_internal=True,
    )
    case_audit(
        case,
        "case.decision_propose",
        actor,
        request,
        outcome=decision.outcome,
        departure=decision.departure,
        amount_qepik=decision.amount_qepik,
        rules_amount_qepik=decision.rules_amount_qepik,
    )


def _take_effect(
    case: Case,
    decision: CaseDecision,
    rules: Rules | None,
    *,
    actor: Actor,
    request: HttpRequest | None,
    role: str | None = None,
) -> None:
    """What a taken decision does: the award, the timeline, the audit event, the letter
    (`role`: the actor's roles as recorded, when the caller has them)."""
    granted = None
    if decision.outcome == DecisionOutcome.APPROVE and rules is not None:
        granted = _grant(case, decision, rules)
    with translation.override(case.person.preferred_language or "az"):
        citizen_text = decision_text(case, decision)
    kind = (
        CaseEvent.Kind.APPROVED if case.status == CaseStatus.APPROVED else CaseEvent.Kind.REJECTED
    )
    role = role or role_of(actor)
    event_add(case, kind, actor=actor, status_after=case.status, note=citizen_text, actor_role=role)
    if case.appeal_of is not None:
        event_add(
            case.appeal_of,
            CaseEvent.Kind.APPEAL_DECIDED,
            actor=actor,
            status_after=case.appeal_of.status,
            note=f"{case.reference}: {citizen_text}",
            actor_role=role,
        )
    case_audit(
        case,
        f"case.{case.status}",
        actor,
        request,
        actor_role=role,
        reason=decision.reason,
        decision=decision.pk,
        departure=decision.departure,
        confirmed_by=decision.reviewed_by_id,
        award=granted.award.pk if granted and granted.award else None,
        arrears_qepik=granted.arrears_qepik if granted else None,
    )
    decision_notify(case, decision=decision, granted=granted)
    _decision_count(case)


def _decision_count(case: Case) -> None:
    """The decision for the statistics: working days from filing to decision, and whether it
    came within the legal deadline (its due day, suspensions and extensions counted)."""
    assert case.decided_at is not None  # noqa: S101 — a taken decision has its time
    decided_on = timezone.localdate(case.decided_at)
    case_usage(
        case,
        UsageKind.DECISION,
        occurred_at=case.decided_at,
        outcome=case.status,
        measure=working_days_between(timezone.localdate(case.submitted_at), decided_on),
        on_time=case.due_on is None or decided_on <= case.due_on,
    )


def _grant(case: Case, decision: CaseDecision, rules: Rules) -> Granted:
    held = None
    if case.appeal_of is not None:
        original = decision_taken(case.appeal_of)
        held = award_held(original.award) if original is not None else None
    officers: dict[str, User | None] = {
        "decided_by": decision.proposed_by,
        "confirmed_by": decision.reviewed_by,
    }
    granted = award_for_decision(
        case=case,
        decision=decision,
        rules=rules,
        officers=officers,
        decided_on=timezone.localdate(case.decided_at),
        held=held,
    )
    decision.award = granted.award or held
    decision.start_on = granted.start_on
    decision.arrears_months = granted.arrears_months
    decision.arrears_qepik = granted.arrears_qepik
    decision.save(update_fields=["award", "start_on", "arrears_months", "arrears_qepik"])
    return granted


def _standing_amount(case: Case) -> int | None:
    """For an appeal, the amount of the award the appealed decision granted and still held."""
    if case.appeal_of is None:
        return None
    original = decision_taken(case.appeal_of)
    held = award_held(original.award) if original is not None else None
    return held.amount_qepik if held is not None else None


def _proposal(case: Case) -> CaseDecision:
    proposal = decision_proposed(case)
    if proposal is None:
        raise IllegalTransition(_("No decision on this case is waiting for a second officer."))
    return proposal


def _status(outcome: str) -> str:
    return CaseStatus.APPROVED if outcome == DecisionOutcome.APPROVE else CaseStatus.REJECTED
