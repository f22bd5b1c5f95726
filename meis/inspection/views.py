"""Pages: the citizen's contracts and disputes; the labour inspection's queue and reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meis.accounts.access import citizen_person
from meis.accounts.decorators import citizen_required
from meis.core.downloads import download_headers_set
from meis.inspection import selectors
from meis.inspection.access import (
    inspector_person_read,
    inspector_person_refused,
    inspector_required,
)
from meis.inspection.forms import DecisionForm, DisputeForm, MonthForm, PeriodForm
from meis.inspection.models import DisputeStatus
from meis.inspection.services import DisputeAlreadyDecided, dispute_decide, dispute_open
from meis.registry.models import Person

PAGE_SIZE = 50


def _citizen(request: HttpRequest) -> Person:
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    return person


# --- The employee's side ---------------------------------------------------------------------


@citizen_required
def my_contracts(request: HttpRequest) -> HttpResponse:
    person = _citizen(request)
    return render(
        request,
        "inspection/my_contracts.html",
        {
            "contracts": selectors.contracts_for_person(person=person),
            "insurance_opened_on": selectors.insurance_opened_on(person=person),
        },
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def my_contract_dispute(request: HttpRequest, contract_id: int) -> HttpResponse:
    person = _citizen(request)
    contract = selectors.contract_get_for_person(person=person, contract_id=contract_id)
    open_dispute = selectors.dispute_open_get(contract=contract, person=person)
    if open_dispute is not None:
        messages.info(request, _dispute_sent(open_dispute.reference))
        return redirect("inspection:my_contracts")
    form = DisputeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        opened = dispute_open(
            contract=contract,
            person=person,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _dispute_sent(opened.dispute.reference))
        return redirect("inspection:my_contracts")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "inspection/my_contract_dispute.html",
        {"contract": contract, "form": form},
        status=status,
    )


def _dispute_sent(reference: str) -> str:
    return _(
        "Your dispute %(reference)s is with the labour inspection. You will see its decision "
        "on this page."
    ) % {"reference": reference}


# --- The labour inspection -------------------------------------------------------------------


@inspector_required
def inspection_home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.disputes_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspection/home.html", {"page": page})


@inspector_required
@require_http_methods(["GET", "POST"])
def dispute_detail(request: HttpRequest, dispute_id: int) -> HttpResponse:
    dispute = selectors.dispute_get(dispute_id=dispute_id)
    user = _staff(request)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and not dispute.is_open:
        messages.error(request, _("Another inspector decided this dispute first."))
        return redirect("inspection:dispute", dispute_id=dispute.pk)
    if form.is_valid():
        try:
            dispute_decide(
                dispute=dispute,
                upheld=form.cleaned_data["outcome"] == DisputeStatus.UPHELD,
                note=form.cleaned_data["note"],
                actor=user,
                request=request,
            )
        except DisputeAlreadyDecided:
            messages.error(request, _("Another inspector decided this dispute first."))
        else:
            messages.success(request, _("The decision is recorded and shown to the person."))
        return redirect("inspection:dispute", dispute_id=dispute.pk)
    inspector_person_read(
        actor=user,
        person=dispute.person,
        obj=dispute.contract,
        basis=f"dispute {dispute.reference}",
        request=request,
    )
    return render(
        request,
        "inspection/dispute.html",
        {"dispute": dispute, "contract": dispute.contract, "form": form},
        status=400 if form.is_bound else 200,
    )


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # inspector_required let only signed-in staff in
        raise Http404
    return user


@inspector_required
def late_report(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET)
    if not form.is_valid():
        return render(request, "inspection/late.html", {"form": form}, status=400)
    period = selectors.month_period(form.cleaned_data["month"])
    month = form.cleaned_data["month"].strftime("%Y-%m")
    employer_id = _int_or_none(request.GET.get("employer", ""))
    by_employer = Paginator(selectors.late_by_employer(period=period), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    versions = Paginator(
        selectors.late_versions(period=period, employer_id=employer_id), PAGE_SIZE
    ).get_page(request.GET.get("list_page"))
    return render(
        request,
        "inspection/late.html",
        {
            "form": form,
            "period": period,
            "month": month,
            "month_query": urlencode({"month": month}),
            "list_query": urlencode(
                {"month": month, **({"employer": employer_id} if employer_id else {})}
            ),
            "by_employer": by_employer,
            "versions": versions,
            "employer_id": employer_id,
        },
    )


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


@inspector_required
def terminations_report(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return render(request, "inspection/terminations.html", {"form": form}, status=400)
    period = selectors.Period(form.cleaned_data["start"], form.cleaned_data["end"])
    by_ground = selectors.terminations_by_ground(period=period)
    by_employer = selectors.terminations_by_employer(period=period)
    wanted = request.GET.get("csv", "")
    if wanted == "ground":
        return _csv(
            f"terminations-by-ground-{period.start}-{period.end}.csv",
            [_("Article"), _("Ground"), _("Terminations")],
            ([row["article"], _ground_title(row), row["terminations"]] for row in by_ground),
        )
    if wanted == "employer":
        return _csv(
            f"terminations-by-employer-{period.start}-{period.end}.csv",
            [_("VÖEN"), _("Employer"), _("Terminations")],
            (
                [row["employer_voen"], row["employer_name"], row["terminations"]]
                for row in by_employer
            ),
        )
    grounds = [{**row, "title": _ground_title(row)} for row in by_ground]
    employers = Paginator(by_employer, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspection/terminations.html",
        {
            "form": form,
            "period": period,
            "grounds": grounds,
            "total": sum(int(str(row["terminations"])) for row in grounds),
            "employers": employers,
            "query": f"start={period.start.isoformat()}&end={period.end.isoformat()}",
        },
    )


def _ground_title(row: dict[str, object]) -> str:
    language = (get_language() or "az")[:2]
    return str(row.get(f"title_{language}") or row.get("title_az") or "")


def _csv(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    # The byte-order mark lets spreadsheet programs read the Azerbaijani letters as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue())
    download_headers_set(response, name=name, content_type="text/csv; charset=utf-8")
    return response


@inspector_required
def informal_work_report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(selectors.informal_work_candidates(on=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "inspection/informal.html", {"page": page, "on": today})


@inspector_required
def informal_work_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """Open a person listed on the informal-work report: the read is audited with its ground."""
    user = _staff(request)
    today = timezone.localdate()
    basis = "informal-work report"
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not selectors.informal_work_person_is_listed(
        person_id=person_id, on=today
    ):
        inspector_person_refused(actor=user, person_id=person_id, request=request, basis=basis)
        raise Http404
    inspector_person_read(actor=user, person=person, obj=person, basis=basis, request=request)
    return render(
        request,
        "inspection/informal_person.html",
        {
            "person": person,
            "household": selectors.person_household_registry_id(person=person),
            "contributions": selectors.recent_contributions(person=person, on=today),
            "contracts": selectors.person_contracts(person=person),
        },
    )
