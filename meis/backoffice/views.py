"""The case worker's pages: the queue of their centre and subsystems, and the case page.

Every case is read through the access funnel (`case_get_for_actor`), and the applicant's
registry facts through `person_get_for_actor` (audited); actions call the case services with
the version the page showed, so a stale page loses instead of overwriting someone's work.

The case page's decision part shows the rules' result the decision is taken against, a
departure waiting for a second officer (with confirm and return for those who may), the
decision taken with its award and arrears, and the chain of an application and its appeal.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meis.accounts.access import (
    PersonNotFound,
    actor_roles,
    person_get_for_actor,
    personal_data_page_check,
    persons_listed_for_actor,
)
from meis.accounts.decorators import staff_required
from meis.accounts.roles import Role
from meis.accounts.selectors import case_workers_of_centre, staff_profile_get, user_get
from meis.backoffice.forms import ActionForm
from meis.cases import decision_selectors, queue_selectors, selectors, services
from meis.cases.access import case_get_for_actor
from meis.cases.models import DECIDED_STATUSES, Case, CaseDecision, CaseStatus
from meis.cases.reasons import decision_reasons, rule_grounds
from meis.registry.models import Person
from meis.workcalendar.arithmetic import DeadlineStatus

QUEUE_LIMIT = 200


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """Open cases of the worker's centre and subsystems, the earliest legal deadline first;
    `?show=` narrows them to the worker's own, the unassigned or the overdue."""
    personal_data_page_check(actor=request.user, request=request, page="case queue")
    profile = staff_profile_get(user=request.user)
    show = request.GET.get("show", "all")
    show = show if show in queue_selectors.QUEUE_FILTERS else "all"
    rows: list[tuple[Case, Any]] = []
    cases = queue_selectors.queue_of(user=request.user)
    if cases is not None:
        rows = queue_selectors.queue_filtered(
            cases=cases, show=show, user=request.user, limit=QUEUE_LIMIT
        )
    # Each row is a person's application: the page is a read of every listed applicant's data.
    persons_listed_for_actor(
        actor=request.user,
        listed=[(case.person_id, case) for case, _reading in rows],
        purpose="case queue",
        request=request,
    )
    return render(
        request,
        "backoffice/queue.html",
        {
            "profile": profile,
            "show": show,
            "filters": _queue_filters(),
            "rows": [
                {
                    "case": case,
                    "service_name": selectors.service_name(case),
                    "reading": reading,
                    "row_class": _row_class(reading),
                }
                for case, reading in rows
            ],
        },
    )


def _queue_filters() -> list[tuple[str, str]]:
    return [
        ("mine", _("Assigned to me")),
        ("unassigned", _("Unassigned")),
        ("all", _("All")),
        ("overdue", _("Overdue")),
    ]


def _row_class(reading: Any) -> str:
    if reading is None:
        return ""
    return {
        DeadlineStatus.OVERDUE: "meis-row--overdue",
        DeadlineStatus.DUE_SOON: "meis-row--due-soon",
    }.get(reading.status, "")


@staff_required
@require_http_methods(["GET", "POST"])
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_get_for_actor(
        actor=request.user, reference=reference[:32], purpose="case work", request=request
    )
    error = ""
    if request.method == "POST":
        form = ActionForm(data=request.POST)
        if form.is_valid():
            try:
                _act(request, case, form.cleaned_data)
                return redirect("backoffice:case", reference=case.reference)
            except services.CaseActionError as failure:
                error = str(failure)
        else:
            error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        case.refresh_from_db()
    person = _applicant_record(request, case)
    return render(
        request,
        "backoffice/case.html",
        {
            "case": case,
            "person": person,
            "service_name": selectors.service_name(case),
            "reading": selectors.case_clock_reading(case),
            "answers": selectors.answers_display(case),
            "documents": selectors.case_documents_named(case),
            "filed_by": selectors.user_name(case.acting_user),
            "assigned_to": selectors.user_name(case.assigned_to),
            "pre_check": case.pre_check or selectors.case_pre_check(case),
            "timeline": selectors.case_timeline(case, for_staff=True),
            "open_request": selectors.open_information_request(case),
            "reasons": list(
                decision_reasons(
                    case.service_version.definition["code"],
                    is_appeal=case.appeal_of_id is not None,
                ).items()
            ),
            "workers": case_workers_of_centre(centre_id=case.centre_id),
            "is_head": Role.CENTRE_HEAD in actor_roles(request.user),
            "is_mine": case.assigned_to_id == request.user.pk,
            "decision_text": services.decision_text(case)
            if case.status in (CaseStatus.APPROVED, CaseStatus.REJECTED)
            else "",
            "error": error,
            "today": timezone.localdate(),
            **_decision_context(request, case),
        },
    )


def _applicant_record(request: HttpRequest, case: Case) -> Person | None:
    """The applicant's registry record while the actor may read it (an open case opens it);
    None once the case is closed — its page still shows the case and its decision."""
    try:
        return person_get_for_actor(
            actor=request.user, person_id=case.person_id, purpose=case.reference, request=request
        )
    except PersonNotFound:
        return None


def _decision_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the decision part of the page shows: the rules' result, a proposal waiting for a
    second officer, the decision taken, and the appeal chain."""
    deciding = case.status in (CaseStatus.IN_REVIEW, CaseStatus.AWAITING_CONFIRMATION)
    rules = decision_selectors.rules_for(case) if deciding else None
    code = case.service_version.definition["code"]
    proposal = (
        decision_selectors.decision_proposed(case)
        if case.status == CaseStatus.AWAITING_CONFIRMATION
        else None
    )
    taken = decision_selectors.decision_taken(case) if case.status in DECIDED_STATUSES else None
    has_chain = case.appeal_of_id is not None or case.appeals.exists()
    return {
        "rules": rules,
        "rules_on": decision_selectors.rules_on(case),
        "grounds": rule_grounds(code, rules.trace) if rules is not None else [],
        "proposal": proposal,
        "may_review": proposal is not None and _may_review(request, case, proposal),
        "taken": taken,
        "explanation": services.decision_explanation(taken) if taken is not None else "",
        "chain": decision_selectors.appeal_chain(case) if has_chain else [],
        "is_original_decider": request.user.pk in decision_selectors.original_deciders(case),
    }


def _may_review(request: HttpRequest, case: Case, proposal: CaseDecision) -> bool:
    try:
        services.require_second_officer(request.user, case, proposal)
    except services.CaseActionError:
        return False
    return True


def _act(request: HttpRequest, case: Case, data: dict[str, Any]) -> None:
    action = data["action"]
    common: dict[str, Any] = {
        "case": case,
        "actor": request.user,
        "expected_version": data["version"],
        "request": request,
    }
    if action == "claim":
        services.case_claim(**common)
    elif action == "assign":
        assignee = user_get(user_id=data.get("assignee") or 0)
        if assignee is None:
            raise services.CaseActionError(str(ActionForm.CHOOSE_WORKER))
        services.case_assign(assignee=assignee, **common)
    elif action == "request_information":
        services.case_request_information(text=data["text"], **common)
    elif action == "approve":
        services.case_approve(
            note=data["text"],
            amount_qepik=data.get("amount"),
            departure_reason=data.get("departure_reason") or "",
            is_handover_in_person=bool(data.get("handover")),
            **common,
        )
    elif action == "reject":
        services.case_reject(
            reason=data["reason"],
            note=data["text"],
            departure_reason=data.get("departure_reason") or "",
            **common,
        )
    elif action == "confirm":
        services.case_decision_confirm(note=data["text"], **common)
    elif action == "return":
        services.case_decision_return(note=data["text"], **common)
    elif action == "withdraw":
        services.case_withdraw(note=data["text"], **common)
