"""The staff page of one award: what is paid, since when, why it ended, suspend and resume.

The award's person is read through the access funnel (`person_get_for_actor`: audited, 404 for
anyone who may not see them); suspending and resuming call the awards services, which decide who
may (a case worker, a centre head or an administrator) and tell the person.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from meis.accounts.access import (
    PersonNotFound,
    actor_roles,
    person_get_for_actor,
    personal_data_page_check,
)
from meis.accounts.decorators import staff_required
from meis.awards.selectors import award_get, award_suspensions
from meis.awards.services import AwardError, award_resume, award_suspend
from meis.awards.services.suspension import DECIDING_ROLES
from meis.backoffice.forms import AwardSuspensionForm


@staff_required
@require_http_methods(["GET", "POST"])
def award_page(request: HttpRequest, award_id: int) -> HttpResponse:
    personal_data_page_check(actor=request.user, request=request, page="award")
    award = award_get(award_id=award_id)
    if award is None:
        raise Http404
    try:
        person_get_for_actor(
            actor=request.user,
            person_id=award.person_id,
            purpose=f"award {award.pk}",
            request=request,
        )
    except PersonNotFound:
        raise Http404 from None
    form = AwardSuspensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act = award_suspend if form.cleaned_data["action"] == "suspend" else award_resume
        try:
            act(
                award=award, reason=form.cleaned_data["reason"], actor=request.user, request=request
            )
        except AwardError as error:
            form.add_error("reason", str(error))
        else:
            return redirect("awards_desk:award", award_id=award.pk)
    may_change = bool(actor_roles(request.user) & DECIDING_ROLES)
    return render(
        request,
        "backoffice/award.html",
        {
            "award": award,
            "suspensions": award_suspensions(award=award),
            "form": form,
            "may_change": may_change,
            "messages_shown": messages.get_messages(request),
        },
    )
