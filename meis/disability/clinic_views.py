"""A medical institution's pages: its referrals, and a new referral (Form 88) for a patient in
its catchment (`services.referral_issue`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meis.accounts.access import actor_roles, role_codes, staff_institution
from meis.accounts.decorators import staff_required
from meis.accounts.urls_helpers import sign_in_redirect
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.disability.citizen_selectors import clinic_referrals
from meis.disability.forms import ReferralForm
from meis.disability.models import MedicalInstitution
from meis.disability.services import DisabilityError, clinic_of, referral_issue
from meis.rules.explain import format_date

PAGE_SIZE = 50
View = Callable[..., HttpResponse]


def clinic_staff_required(view: View) -> View:
    """Anonymous → staff sign-in; anyone but a medical institution's staff → 403 (audited)."""
    verified_view = staff_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return sign_in_redirect(request, staff=True)
        if clinic_of(request.user) is None:
            audit_record(
                action=AuditAction.ACCESS_REFUSED,
                actor=request.user,
                actor_role=role_codes(actor_roles(request.user)),
                actor_institution=staff_institution(request.user),
                request=request,
                details={"page": f"disability clinic: {view.__name__}"},
            )
            raise PermissionDenied
        return verified_view(request, *args, **kwargs)

    return wrapper


def _institution(request: HttpRequest) -> MedicalInstitution:
    institution = clinic_of(request.user)
    if institution is None:  # clinic_staff_required let only clinic staff in
        raise PermissionDenied
    return institution


@clinic_staff_required
def referral_list(request: HttpRequest) -> HttpResponse:
    institution = _institution(request)
    page = Paginator(clinic_referrals(institution=institution), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "disability/clinic_list.html",
        {"institution": institution, "page": page, "referrals": page.object_list},
    )


@clinic_staff_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    institution = _institution(request)
    form = ReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_issue(
                actor=request.user,
                fin=data["fin"],
                kind=data["kind"],
                diagnoses=data["diagnoses"],
                summary=data["summary"],
                request=request,
            )
        except DisabilityError as error:
            form.add_error(None, str(error))
        else:
            language = translation.get_language() or "az"
            messages.success(
                request,
                _("Referral %(number)s is issued; the commission decides by %(day)s.")
                % {"number": referral.number, "day": format_date(referral.due_on, language)},
            )
            return redirect("disability:clinic_list")
    return render(request, "disability/clinic_new.html", {"form": form, "institution": institution})
