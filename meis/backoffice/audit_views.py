"""The auditor's search of the audit trail (itself an audited read)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meis.accounts.access import actor_roles
from meis.accounts.decorators import staff_required
from meis.accounts.roles import Role
from meis.audit.forms import AuditSearchForm
from meis.audit.models import AuditAction
from meis.audit.selectors import audit_search
from meis.audit.services import audit_record

PAGE_SIZE = 50


@staff_required
def audit_event_search(request: HttpRequest) -> HttpResponse:
    roles = actor_roles(request.user)
    if not roles & {Role.AUDITOR, Role.ADMINISTRATOR}:
        audit_record(
            action=AuditAction.ACCESS_REFUSED,
            actor=request.user,
            actor_role=",".join(sorted(roles)),
            request=request,
            details={"page": "audit search"},
        )
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        criteria = {
            "fin": form.cleaned_data["fin"],
            "actor_username": form.cleaned_data["actor"],
            "occurred_from": form.cleaned_data["occurred_from"],
            "occurred_to": form.cleaned_data["occurred_to"],
        }
        audit_record(
            action=AuditAction.AUDIT_SEARCH,
            actor=request.user,
            actor_role=Role.AUDITOR if Role.AUDITOR in roles else Role.ADMINISTRATOR,
            request=request,
            details={k: str(v) for k, v in criteria.items() if v},
        )
        paginator = Paginator(audit_search(**criteria), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    return render(request, "audit/search.html", {"form": form, "page": page})
