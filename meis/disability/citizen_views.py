"""The person's pages: their referrals and decisions; their own request for a re-examination
or an appeal (`services.self_referral_request`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meis.accounts.access import citizen_person
from meis.accounts.decorators import citizen_required
from meis.disability import letters
from meis.disability.citizen_selectors import appeal_open_until, person_decisions, person_referrals
from meis.disability.forms import SelfReferralForm
from meis.disability.models import Referral, ReferralKind, ReferralState
from meis.disability.services import DisabilityError, self_referral_check, self_referral_request
from meis.registry.models import Person


def _citizen(request: HttpRequest) -> Person:
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    return person


def _open(referrals: list[Referral]) -> Referral | None:
    return next((r for r in referrals if r.state != ReferralState.SIGNED), None)


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    person = _citizen(request)
    language = translation.get_language() or "az"
    today = timezone.localdate()
    referrals = list(person_referrals(person=person))
    lines = person_decisions(person=person)
    decisions = [
        {
            "decision": line.decision,
            "extract": line.extract,
            "result": letters.result_text(line.decision, language),
            "reexamination": letters.reexamination_text(line.decision.reexamine_on, language),
        }
        for line in lines
    ]
    latest = lines[0].decision if lines else None
    open_referral = _open(referrals)
    context: dict[str, Any] = {
        "referrals": referrals,
        "decisions": decisions,
        "open_referral": open_referral,
        "may_ask": latest is not None and open_referral is None,
        "appeal_until": appeal_open_until(latest, today) if open_referral is None else None,
    }
    return render(request, "disability/mine.html", context)


@citizen_required
@require_http_methods(["GET", "POST"])
def self_referral(request: HttpRequest) -> HttpResponse:
    person = _citizen(request)
    today = timezone.localdate()
    refusal = ""
    try:
        self_referral_check(person=person, kind=ReferralKind.REEXAMINATION, on=today)
    except DisabilityError as error:
        refusal = str(error)
    if request.method == "POST":
        form = SelfReferralForm(request.POST)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            try:
                referral = self_referral_request(
                    person=person,
                    kind=kind,
                    grounds=form.cleaned_data["grounds"],
                    actor=request.user,
                    request=request,
                )
            except DisabilityError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your request is registered: referral %(number)s.")
                    % {"number": referral.number},
                )
                return redirect("disability:mine")
    else:
        kind = request.GET.get("kind", "")
        initial = (
            {"kind": kind} if kind in (ReferralKind.REEXAMINATION, ReferralKind.APPEAL) else {}
        )
        form = SelfReferralForm(initial=initial)
    return render(request, "disability/self_referral.html", {"form": form, "refusal": refusal})
