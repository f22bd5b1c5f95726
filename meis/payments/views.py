"""The payment pages: the citizen's payments and account, the administrators' payroll page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_POST

from meis.accounts.access import actor_roles, citizen_person
from meis.accounts.decorators import citizen_required, staff_required
from meis.accounts.roles import Role
from meis.audit.services import audit_record
from meis.core.downloads import file_download
from meis.payments import selectors
from meis.payments.forms import AccountForm, MonthForm, StatementForm
from meis.payments.models import PaymentFile, PayrollRun
from meis.payments.services import (
    PaymentError,
    payment_account_set,
    payment_files_write,
    payroll_approve,
    payroll_compute,
)
from meis.payments.services.files import files_dir
from meis.payments.services.returns import statement_import
from meis.payments.statements import MAX_BYTES, reason_label
from meis.rules.explain import format_money


def _lang() -> str:
    lang = (get_language() or "az")[:2]
    return lang if lang in ("az", "en", "ru") else "az"


@citizen_required
def my_payments(request: HttpRequest) -> HttpResponse:
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment_account_set(
                person=person,
                iban=form.cleaned_data["iban"],
                actor=request.user,
                reason="Changed by the citizen on My payments",
            )
        except PaymentError as error:
            form.add_error("iban", error.message)
        else:
            return redirect("payments:mine")
    lang = _lang()
    payments = [
        (payment, format_money(payment.total_qepik, lang))
        for payment in selectors.payments_for_person(person=person)
    ]
    return render(
        request,
        "payments/my_payments.html",
        {
            "account": selectors.account_current(person=person),
            "payments": payments,
            "form": form,
            "banks": selectors.banks_listed(),
        },
    )


def _administrator(request: HttpRequest) -> None:
    if Role.ADMINISTRATOR not in actor_roles(request.user):
        raise PermissionDenied


@staff_required
def payroll(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    form = MonthForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            payroll_compute(month=form.cleaned_data["month"], actor=request.user)
        except PaymentError as refused:
            error = refused.message
        else:
            return redirect("payroll:runs")
    return _runs_page(request, form=form, error=error)


def _runs_page(request: HttpRequest, *, form: MonthForm, error: str = "") -> HttpResponse:
    lang = _lang()
    runs = [
        (
            run,
            format_money(run.total_qepik, lang),
            format_money(run.held_qepik, lang),
            list(selectors.run_files(run=run)),
        )
        for run in selectors.run_list()
    ]
    return render(
        request,
        "payments/payroll.html",
        {"form": form, "runs": runs, "error": error, "me": request.user.pk},
        status=409 if error else 200,
    )


def _run(run_id: int) -> PayrollRun:
    try:
        return selectors.run_get(run_id=run_id)
    except PayrollRun.DoesNotExist:
        raise Http404 from None


@staff_required
@require_POST
def approve(request: HttpRequest, run_id: int) -> HttpResponse:
    _administrator(request)
    try:
        payroll_approve(run=_run(run_id), actor=request.user)
    except PaymentError as refused:
        return _runs_page(request, form=MonthForm(), error=refused.message)
    return redirect("payroll:runs")


@staff_required
@require_POST
def release(request: HttpRequest, run_id: int) -> HttpResponse:
    _administrator(request)
    try:
        payment_files_write(run=_run(run_id), actor=request.user)
    except PaymentError as refused:
        return _runs_page(request, form=MonthForm(), error=refused.message)
    return redirect("payroll:runs")


@staff_required
def download(request: HttpRequest, file_id: int) -> HttpResponse:
    _administrator(request)
    try:
        payment_file = selectors.file_get(file_id=file_id)
    except PaymentFile.DoesNotExist:
        raise Http404 from None
    path = files_dir(payment_file.run) / payment_file.file_name
    if not path.is_file():
        raise Http404
    # The file names every recipient and their IBAN: a staff read of personal data.
    audit_record(
        action="payments.file_download",
        actor=request.user,
        actor_role=Role.ADMINISTRATOR,
        obj=payment_file,
        purpose="Payment file downloaded",
        request=request,
        details={"items": payment_file.item_count, "sha256": payment_file.sha256},
    )
    response: HttpResponse = file_download(  # type: ignore[assignment]  # streams the file
        path.open("rb"), name=payment_file.file_name, content_type="application/xml"
    )
    return response


@staff_required
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    """One run: its files, the banks' statements and the reconciliation; import a statement."""
    _administrator(request)
    run = _run(run_id)
    form = StatementForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["statement"]
        try:
            # Read no more than one byte over the limit: a larger file is refused by its size.
            content = upload.read(MAX_BYTES + 1)
            statement_import(
                run=run, content=content, file_name=upload.name or "", actor=request.user
            )
        except PaymentError as refused:
            error = refused.message
        else:
            return redirect("payroll:run", run_id=run.pk)
    lang = _lang()
    returned = list(selectors.run_returned(run=run))
    if returned:  # names of people whose payment came back: a staff read of personal data
        audit_record(
            action="payments.returns_view",
            actor=request.user,
            actor_role=Role.ADMINISTRATOR,
            obj=run,
            purpose="Reconciliation of a payroll: returned payments",
            request=request,
            details={"people": [outcome.item.person_id for outcome in returned]},
        )
    reconciliation = [
        (
            row,
            format_money(row.sent_qepik, lang),
            format_money(row.credited_qepik, lang),
            format_money(row.returned_qepik, lang),
            format_money(row.difference_qepik, lang),
        )
        for row in selectors.run_reconciliation(run=run)
    ]
    return render(
        request,
        "payments/run.html",
        {
            "run": run,
            "form": form,
            "error": error,
            "reconciliation": reconciliation,
            "statements": selectors.run_statements(run=run),
            "returned": [
                (
                    outcome,
                    format_money(outcome.amount_qepik, lang),
                    reason_label(outcome.reason_code),
                )
                for outcome in returned
            ],
        },
        status=409 if error else 200,
    )


# How an overpayment's claim was made (`services/overpayments.py`), as the task shows it.
_CLAIM_NOTES = {
    "family": gettext_lazy("Letter sent to a family member"),
    "deceased_contact": gettext_lazy("Letter sent to the deceased's registered contact"),
    "no_contact": gettext_lazy("No contact: write to the registered address"),
    "nothing_paid": gettext_lazy("Nothing is paid to withhold from: claim it"),
}


@staff_required
def tasks(request: HttpRequest) -> HttpResponse:
    """Open payment tasks: returned payments awaiting a new account, overpayments to claim."""
    _administrator(request)
    lang = _lang()
    rows = list(selectors.tasks_open())
    if rows:
        audit_record(
            action="payments.tasks_view",
            actor=request.user,
            actor_role=Role.ADMINISTRATOR,
            purpose="Payment tasks listed",
            request=request,
            details={"people": [task.person_id for task in rows]},
        )
    return render(
        request,
        "payments/tasks.html",
        {
            "tasks": [
                (
                    task,
                    format_money(task.amount_qepik, lang),
                    reason_label(task.reason_code)
                    if task.reason_code
                    else str(_CLAIM_NOTES.get(task.details, "")),
                )
                for task in rows
            ]
        },
    )
