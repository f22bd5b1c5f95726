"""The run report for analysts and administrators: totals and a chart — never personal data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meis.accounts.access import actor_roles
from meis.accounts.decorators import staff_required
from meis.accounts.roles import Role
from meis.proactive.selectors import grants_per_day, run_get, run_list, run_rows
from meis.proactive.services import ProactiveError, run_approve, run_execute

REPORT_ROLES = frozenset({Role.ANALYST, Role.ADMINISTRATOR})


def _check(request: HttpRequest, roles: frozenset[Role] = REPORT_ROLES) -> frozenset[Role]:
    held = actor_roles(request.user)
    if not held & roles:
        raise PermissionDenied
    return held


@staff_required
def report(request: HttpRequest) -> HttpResponse:
    held = _check(request)
    runs = list(run_list())
    bars = grants_per_day()
    return render(
        request,
        "proactive/report.html",
        {
            "runs": runs,
            "latest_rows": run_rows(runs[0]) if runs else [],
            "latest": runs[0] if runs else None,
            "bars": bars,
            "chart_width": max(24, len(bars) * 24),
            "is_administrator": Role.ADMINISTRATOR in held,
        },
    )


@staff_required
@require_POST
def approve(request: HttpRequest, run_id: int) -> HttpResponse:
    _check(request, frozenset({Role.ADMINISTRATOR}))
    run = run_get(run_id=run_id)
    try:
        run_approve(run=run, actor=request.user)
    except ProactiveError as error:
        return render(request, "proactive/refused.html", {"error": str(error)}, status=409)
    run_execute(run)
    return redirect("proactive:report")
