"""The applicant's appeal pages: lodge an appeal against a decided case, and its confirmation.

The case is read through the access funnel (`case_get_for_actor`); whether the decision may
still be appealed is `decision_selectors.appeal_window`, and lodging it is
`services.case_appeal` (which checks it all again). Views only parse, call and render.
"""

from __future__ import annotations

import uuid

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from meis.accounts.decorators import citizen_required
from meis.cases import decision_selectors, services
from meis.cases.access import case_get_for_actor
from meis.cases.models import Case
from meis.cases.services.appeals import GROUNDS_MAX_LENGTH


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why do you disagree with the decision?"),
        help_text=_(
            "Say what you think is wrong and, if you can, which facts or documents show it."
        ),
        max_length=GROUNDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say why you disagree with the decision.")},
    )
    key = forms.UUIDField(widget=forms.HiddenInput)


@citizen_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, reference: str) -> HttpResponse:
    """The appeal form, or — outside the period — why the decision can no longer be appealed."""
    case = _case(request, reference, "appeal page")
    form = AppealForm(initial={"key": uuid.uuid4()})
    error = ""
    if request.method == "POST":
        form = AppealForm(data=request.POST)
        if form.is_valid():
            try:
                lodged = services.case_appeal(
                    case=case,
                    actor=request.user,
                    grounds=form.cleaned_data["grounds"],
                    idempotency_key=str(form.cleaned_data["key"]),
                    request=request,
                )
                return redirect("cases:appeal_lodged", reference=lodged.reference)
            except services.CaseActionError as failure:
                error = str(failure)
    window = decision_selectors.appeal_window(case)
    return render(
        request,
        "cases/appeal.html",
        {
            "case": case,
            "service_name": services.case_service_name(case),
            "decision_text": services.decision_text(case) if case.decided_at else "",
            "window": window,
            "form": form,
            "error": error,
        },
    )


@citizen_required
def appeal_lodged(request: HttpRequest, reference: str) -> HttpResponse:
    """The confirmation: the appeal's reference and its legal deadline."""
    case = _case(request, reference, "appeal confirmation")
    return render(
        request,
        "cases/appeal_lodged.html",
        {
            "case": case,
            "original": case.appeal_of,
            "service_name": services.case_service_name(case),
        },
    )


def _case(request: HttpRequest, reference: str, purpose: str) -> Case:
    return case_get_for_actor(
        actor=request.user, reference=reference[:32], purpose=purpose, request=request
    )
