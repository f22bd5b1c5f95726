"""A commission member's pages: the pseudonymised worklist, a referral's medical content (every
read audited), the decision draft, the signatures, the deadline's extension, the sitting; the
person's identity only once every member has signed.

Anonymous → staff sign-in; staff without the commission-member role or without a membership →
403 (audited); a member of another commission opening a referral → 404 (audited by the service).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meis.accounts.access import actor_roles, role_codes, staff_institution
from meis.accounts.decorators import staff_required
from meis.accounts.urls_helpers import sign_in_redirect
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.disability import commission_selectors as selectors
from meis.disability import services
from meis.disability.commission_forms import BookForm, DecisionForm, ExtendForm
from meis.disability.models import (
    Category,
    Cause,
    CommissionMember,
    Decision,
    Referral,
    ReferralState,
    Sitting,
)
from meis.disability.services import DecisionDraft, DisabilityError
from meis.disability.terms import (
    degree_for_percentage,
    suggested_reexamination,
    uses_percentages,
)
from meis.lifeevents.models import DisabilityDegree

View = Callable[..., HttpResponse]
ROLE = "commission_member"


def member_required(view: View) -> View:
    """The view receives the member's `CommissionMember` after the request."""

    @wraps(view)
    def verified(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = services.membership_of(request.user)
        if member is None:
            audit_record(
                action=AuditAction.ACCESS_REFUSED,
                actor=request.user,
                actor_role=role_codes(actor_roles(request.user)),
                actor_institution=staff_institution(request.user),
                request=request,
                details={"page": f"disability commission: {view.__name__}"},
            )
            raise PermissionDenied
        return view(request, member, *args, **kwargs)

    signed_in = staff_required(verified)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return sign_in_redirect(request, staff=True)
        return signed_in(request, *args, **kwargs)

    return wrapper


def _referral(request: HttpRequest, member: CommissionMember, pseudonym: str) -> Referral:
    """The referral under `pseudonym` if it is with the member's commission; 404 otherwise (a
    referral of another commission is refused and audited by the service)."""
    referral = (
        Referral.objects.select_related("commission", "sitting", "reviews", "person", "institution")
        .filter(pseudonym=pseudonym[:12])
        .first()
    )
    if referral is None:
        raise Http404
    if referral.commission_id != member.commission_id:
        try:
            services.member_for(request.user, referral, request)
        except DisabilityError:
            raise Http404 from None
        raise Http404  # pragma: no cover — a member of another commission is always refused
    return referral


def _decision_of(referral: Referral) -> Decision | None:
    return Decision.objects.filter(referral=referral).select_related("outcome").first()


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 — member_required let staff only
    return request.user


# --- The worklist ------------------------------------------------------------------------------


@member_required
@require_GET
def worklist(request: HttpRequest, member: CommissionMember) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "disability/commission_worklist.html",
        {
            "member": member,
            "referrals": list(selectors.worklist(member=member)),
            "escalated": selectors.escalated(member=member),
            "today": today,
        },
    )


# --- A referral --------------------------------------------------------------------------------


@member_required
@require_GET
def referral(request: HttpRequest, member: CommissionMember, pseudonym: str) -> HttpResponse:
    found = _referral(request, member, pseudonym)
    audit_record(
        action=AuditAction.PERSON_READ,
        actor=request.user,
        actor_role=ROLE,
        actor_institution=member.commission.name,
        person=found.person,
        obj=found,
        purpose=f"disability referral {found.pseudonym} (pseudonymised)",
        request=request,
    )
    today = timezone.localdate()
    decision = _decision_of(found)
    lines = selectors.signature_lines(decision=decision) if decision is not None else []
    has_signed = decision is not None and decision.signatures.filter(member=member).exists()
    open_work = found.state != ReferralState.SIGNED
    sittings = selectors.sittings_open(referral=found, on=today) if open_work else []
    return render(
        request,
        "disability/commission_referral.html",
        {
            "member": member,
            "referral": found,
            "decision": decision,
            "categories": _labels(Category, decision.categories if decision else []),
            "signatures": lines,
            "has_signed": has_signed,
            "may_edit": open_work and not any(line.signed_at for line in lines),
            "may_sign": open_work and decision is not None and not has_signed,
            "may_extend": open_work and not found.extended_reason,
            "may_book": found.state in (ReferralState.ASSIGNED, ReferralState.BOOKED),
            "book_form": BookForm(sittings=sittings),
            "sittings": sittings,
            "extend_form": ExtendForm(),
            "overdue": open_work and found.due_on < today,
        },
    )


def _labels(choices: type[Category], values: list[str]) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(value, value)) for value in values]


# --- The decision ------------------------------------------------------------------------------


def _iso(day: datetime.date | None) -> str:
    """A date input's value (the field template writes the initial value as it is)."""
    return day.isoformat() if day else ""


def _initial(referral: Referral, decision: Decision | None, on: datetime.date) -> dict[str, Any]:
    if decision is not None:
        return {
            "established": "yes" if decision.is_established else "no",
            "degree": decision.degree,
            "percentage": decision.percentage,
            "categories": decision.categories,
            "cause": decision.cause,
            "reexamine_on": _iso(decision.reexamine_on),
            "indefinite": decision.is_established and decision.reexamine_on is None,
            "reasoning": decision.reasoning,
        }
    degree: str
    if referral.age_years < 18:
        degree = DisabilityDegree.CHILD
    elif referral.reviews is not None and referral.reviews.degree:
        degree = referral.reviews.degree
    else:
        degree = DisabilityDegree.SECOND
    return {
        "degree": degree,
        "cause": Cause.GENERAL_ILLNESS,
        "reexamine_on": _iso(suggested_reexamination(degree, on)),
    }


def _field_of_refusal(referral: Referral, draft: DecisionDraft, on: datetime.date) -> str | None:
    """The field the service's first failing check is about, in the order it checks them, so
    that the error summary links to it."""
    reasoning = draft.reasoning.strip()
    if not reasoning or "\x00" in reasoning or len(reasoning) > 4000:
        return "reasoning"
    if not draft.is_established:
        return None
    birth = referral.person.birth_on
    is_child = (on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))) < 18
    adult = (DisabilityDegree.FIRST, DisabilityDegree.SECOND, DisabilityDegree.THIRD)
    if (draft.degree != DisabilityDegree.CHILD) if is_child else (draft.degree not in adult):
        return "degree"
    if _percentage_refused(draft, is_child=is_child, on=on):
        return "percentage"
    if any(c not in Category.values for c in draft.categories):
        return "categories"
    if draft.cause not in Cause.values:
        return "cause"
    return "reexamine_on"


def _percentage_refused(draft: DecisionDraft, *, is_child: bool, on: datetime.date) -> bool:
    p = draft.percentage
    if not uses_percentages(on):
        return p is not None and not 0 <= p <= 100
    if p is None:
        return True
    band = degree_for_percentage(p, on)
    return band is None or (not is_child and band != draft.degree)


@member_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, member: CommissionMember, pseudonym: str) -> HttpResponse:
    found = _referral(request, member, pseudonym)
    today = timezone.localdate()
    decision = _decision_of(found)
    if found.state == ReferralState.SIGNED or (
        decision is not None and decision.signatures.exists()
    ):
        messages.error(
            request, _("Members have signed this decision; it can no longer be changed.")
        )
        return redirect("disability:referral", pseudonym=found.pseudonym)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            draft = form.draft()
            try:
                services.decision_draft(
                    actor=_user(request), referral=found, draft=draft, request=request
                )
            except DisabilityError as error:
                form.add_error(_field_of_refusal(found, draft, today), str(error))
            else:
                messages.success(request, _("The decision is written. Each member now signs it."))
                return redirect("disability:referral", pseudonym=found.pseudonym)
    else:
        form = DecisionForm(initial=_initial(found, decision, today))
    return render(
        request,
        "disability/commission_decision.html",
        {"member": member, "referral": found, "form": form},
    )


@member_required
@require_POST
def sign(request: HttpRequest, member: CommissionMember, pseudonym: str) -> HttpResponse:
    found = _referral(request, member, pseudonym)
    decision = _decision_of(found)
    if decision is None:
        messages.error(request, _("There is no decision to sign yet."))
    elif request.POST.get("confirm") != "yes":
        messages.error(request, _("Confirm that you have read the decision and agree with it."))
    else:
        try:
            signed = services.decision_sign(
                actor=_user(request), decision=decision, request=request
            )
        except DisabilityError as error:
            messages.error(request, str(error))
        else:
            if signed.signed_at is not None:
                messages.success(request, _("Every member has signed: the decision is final."))
            else:
                messages.success(request, _("Your signature is recorded."))
    return redirect("disability:referral", pseudonym=found.pseudonym)


@member_required
@require_POST
def extend(request: HttpRequest, member: CommissionMember, pseudonym: str) -> HttpResponse:
    found = _referral(request, member, pseudonym)
    try:
        services.referral_extend(
            actor=_user(request),
            referral=found,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except DisabilityError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The deadline is extended to %(day)s.") % {"day": f"{found.due_on:%d.%m.%Y}"},
        )
    return redirect("disability:referral", pseudonym=found.pseudonym)


@member_required
@require_POST
def book(request: HttpRequest, member: CommissionMember, pseudonym: str) -> HttpResponse:
    found = _referral(request, member, pseudonym)
    sitting_id = request.POST.get("sitting", "")
    sitting = (
        Sitting.objects.filter(pk=int(sitting_id), commission_id=found.commission_id).first()
        if sitting_id.isascii() and sitting_id.isdigit() and len(sitting_id) < 10
        else None
    )
    if sitting is None:
        messages.error(request, _("Choose one of your commission's coming sittings."))
        return redirect("disability:referral", pseudonym=found.pseudonym)
    try:
        services.examination_book(
            actor=_user(request), referral=found, sitting=sitting, request=request
        )
    except DisabilityError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The person is called to the sitting of %(day)s; they are told by letter.")
            % {"day": f"{sitting.held_on:%d.%m.%Y}"},
        )
    return redirect("disability:referral", pseudonym=found.pseudonym)


# --- The person's identity, once decided -------------------------------------------------------


@member_required
@require_GET
def identity(request: HttpRequest, member: CommissionMember, pseudonym: str) -> HttpResponse:
    found = _referral(request, member, pseudonym)
    decision = _decision_of(found)
    context = {"member": member, "referral": found}
    if decision is None or decision.signed_at is None:
        audit_record(
            action=AuditAction.ACCESS_REFUSED,
            actor=request.user,
            actor_role=ROLE,
            actor_institution=member.commission.name,
            person=found.person,
            obj=found,
            purpose=f"identity before signing: disability referral {found.pseudonym}",
            request=request,
            details={"page": "disability referral identity"},
        )
        return render(request, "disability/commission_identity_refused.html", context, status=403)
    audit_record(
        action=AuditAction.PERSON_READ,
        actor=request.user,
        actor_role=ROLE,
        actor_institution=member.commission.name,
        person=found.person,
        obj=found,
        purpose=f"disability referral {found.pseudonym}: identity after the decision",
        request=request,
    )
    institution = found.institution.name if found.institution is not None else ""
    return render(
        request,
        "disability/commission_identity.html",
        context | {"person": found.person, "institution": institution, "decision": decision},
    )
