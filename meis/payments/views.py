"""The payment pages: the citizen's payments and account, the administrators' payroll page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meis.accounts.access import actor_roles, citizen_person
from meis.accounts.decorators import citizen_required, staff_required
from meis.accounts.roles import Role
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.core.downloads import file_download
from meis.core.identifiers import InvalidIdentifier
from meis.payments import selectors
from meis.payments.forms import (
    AccountForm,
    CardCsvForm,
    CardIbanForm,
    CodeForm,
    FinForm,
    MonthForm,
    StaffAccountForm,
    StatementForm,
)
from meis.payments.models import CardOrder, PaymentAccount, PaymentFile, PayrollRun
from meis.payments.services import (
    PaymentError,
    payment_account_set,
    payment_files_write,
    payroll_approve,
    payroll_compute,
)
from meis.payments.services.accounts import (
    account_change_confirm,
    account_change_request,
    masked_contact,
)
from meis.payments.services.cards import (
    MAX_CSV_BYTES,
    card_confirmations_import,
    card_order_confirm,
    card_orders_place,
)
from meis.payments.services.files import files_dir
from meis.payments.services.returns import statement_import
from meis.payments.statements import MAX_BYTES, reason_label
from meis.registry.selectors import person_get_by_fin
from meis.rules.explain import format_money

SESSION_CHANGE = "meis_payment_account_change"


def _lang() -> str:
    lang = (get_language() or "az")[:2]
    return lang if lang in ("az", "en", "ru") else "az"


def _refusal_to_form(form: Form, error: PaymentError) -> None:
    """A service's refusal beside the field it is about (the IBAN, the branch) or on top."""
    if error.code.startswith("iban") or error.code in ("account_returned", "unchanged"):
        form.add_error("iban", error.message)
    elif error.code.startswith("branch"):
        form.add_error("branch", error.message)
    else:
        form.add_error(None, error.message)


@citizen_required
def my_payments(request: HttpRequest) -> HttpResponse:
    """The person's payments, account and its history; a change is confirmed by a code."""
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    form = AccountForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            change = account_change_request(
                person=person,
                iban=form.cleaned_data["iban"],
                branch=form.cleaned_data["branch"],
                actor=request.user,
                request=request,
            )
        except PaymentError as error:
            _refusal_to_form(form, error)
            status = 429 if error.code == "too_many_codes" else 400
        else:
            request.session[SESSION_CHANGE] = change.pk
            return redirect("payments:confirm")
    elif request.method == "POST":
        status = 400
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
            "history": _history(selectors.account_history(person=person), person, for_staff=False),
            "card_order": selectors.card_order_open(person=person),
            "payments": payments,
            "form": form,
            "banks": selectors.banks_listed(),
        },
        status=status,
    )


def _history(accounts: Any, person: Any, *, for_staff: bool) -> list[tuple[PaymentAccount, str]]:
    """Each account with who recorded it: the person (by code), staff, the bank or the system."""
    rows = []
    for account in accounts:
        user = account.changed_by
        by_person = user is not None and getattr(
            getattr(user, "citizen_account", None), "person_id", None
        ) == getattr(person, "pk", None)
        if account.kind == "card":
            who = _("The paying bank, for the card")
        elif user is None:
            who = _("Recorded by the system")
        elif by_person:
            who = (
                _("The recipient, confirmed by a code")
                if for_staff
                else _("You, confirmed by a code")
            )
        else:
            who = user.get_username() if for_staff else _("Ministry staff")
        rows.append((account, str(who)))
    return rows


@citizen_required
def confirm_change(request: HttpRequest) -> HttpResponse:
    """The code sent to the citizen's contact; right, the new account is recorded."""
    person = citizen_person(request.user)
    change_id = request.session.get(SESSION_CHANGE)
    change = (
        selectors.account_change_pending(person=person, change_id=int(change_id))
        if person is not None and change_id is not None
        else None
    )
    if change is None:
        return redirect("payments:mine")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = account_change_confirm(
                change=change, code=form.cleaned_data["code"], actor=request.user, request=request
            )
        except PaymentError as error:
            form.add_error("code" if error.code == "code_wrong" else None, error.message)
            status = 429 if error.code == "code_locked" else 400
        else:
            request.session.pop(SESSION_CHANGE, None)
            messages.success(
                request,
                _("Your new account is recorded: from now on your payments go to %(bank)s.")
                % {"bank": confirmed.account.bank.name}
                if not confirmed.already
                else _("This change was already confirmed: your account is recorded."),
            )
            return redirect("payments:mine")
    elif request.method == "POST":
        status = 400
    channel = change.challenge.channel if change.challenge else ""
    recipient: str = ""
    if change.challenge is not None:
        contact = change.person.verified_phone if channel == "sms" else change.person.verified_email
        recipient = contact or ""
    return render(
        request,
        "payments/confirm_change.html",
        {
            "change": change,
            "form": form,
            "sent_to": masked_contact(channel, recipient or ""),
            "channel": channel,
        },
        status=status,
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


# --- Staff: a recipient's account, and cards for recipients without one ----------------------
def _account_staff(request: HttpRequest) -> None:
    """Payment accounts are kept by the payroll administrators (who write the banks' files)."""
    _administrator(request)


@staff_required
def accounts_find(request: HttpRequest) -> HttpResponse:
    _account_staff(request)
    form = FinForm(request.GET or None)
    status = 200
    if request.GET and form.is_valid():
        try:
            person = person_get_by_fin(fin=form.cleaned_data["fin"])
        except InvalidIdentifier as error:
            form.add_error("fin", " ".join(error.messages))
            person = None
        else:
            if person is None:
                form.add_error("fin", _("No person with this FİN is in the registry."))
        if person is not None:
            return redirect("payroll:account", person_id=person.pk)
        status = 404
    return render(request, "payments/accounts_find.html", {"form": form}, status=status)


@staff_required
def account_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """A recipient's account and its history; a change needs a reason. Every view is audited."""
    _account_staff(request)
    person = selectors.recipient_get(person_id=person_id)
    if person is None:
        raise Http404
    form = StaffAccountForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            payment_account_set(
                person=person,
                iban=form.cleaned_data["iban"],
                branch=form.cleaned_data["branch"],
                actor=request.user,
                reason=form.cleaned_data["reason"].strip(),
            )
        except PaymentError as error:
            _refusal_to_form(form, error)
            status = 400
        else:
            messages.success(request, _("The account is changed; the reason is recorded."))
            return redirect("payroll:account", person_id=person.pk)
    elif request.method == "POST":
        status = 400
    # A look at the person's data: listed on their "who looked at my data" page.
    audit_record(
        action=AuditAction.PERSON_READ,
        actor=request.user,
        actor_role=Role.ADMINISTRATOR,
        person=person,
        obj=person,
        purpose="payment account",  # labelled in meis.audit.purposes
        request=request,
        details={"page": "payments.account"},
    )
    return render(
        request,
        "payments/account_staff.html",
        {
            "person": person,
            "account": selectors.account_current(person=person),
            "history": _history(selectors.account_history(person=person), person, for_staff=True),
            "card_order": selectors.card_order_open(person=person),
            "form": form,
        },
        status=status,
    )


@staff_required
def cards(request: HttpRequest) -> HttpResponse:
    """Cards for recipients without an account: order them; record the bank's confirmations."""
    _account_staff(request)
    csv_form = CardCsvForm(
        request.POST if request.POST.get("action") == "import" else None, request.FILES or None
    )
    error = ""
    if request.method == "POST" and request.POST.get("action") == "place":
        try:
            ordered = card_orders_place(actor=request.user)
        except PaymentError as refused:
            error = refused.message
        else:
            messages.success(request, _("Cards ordered: %(count)s.") % {"count": ordered})
            return redirect("payroll:cards")
    elif request.method == "POST" and csv_form.is_valid():
        upload = csv_form.cleaned_data["confirmations"]
        try:
            confirmed = card_confirmations_import(
                content=upload.read(MAX_CSV_BYTES + 1), actor=request.user
            )
        except PaymentError as refused:
            csv_form.add_error("confirmations", refused.message)
        else:
            messages.success(request, _("Cards confirmed: %(count)s.") % {"count": confirmed})
            return redirect("payroll:cards")
    return _cards_page(request, csv_form=csv_form, error=error)


def _cards_page(
    request: HttpRequest,
    *,
    csv_form: CardCsvForm | None = None,
    error: str = "",
    iban_forms: dict[int, CardIbanForm] | None = None,
) -> HttpResponse:
    orders = list(selectors.card_orders_open())
    if orders:  # names and FİNs of recipients: a staff read of personal data
        audit_record(
            action="payments.card_orders_view",
            actor=request.user,
            actor_role=Role.ADMINISTRATOR,
            purpose="Open card orders listed",
            request=request,
            details={"people": [order.person_id for order in orders]},
        )
    forms = iban_forms or {}
    failed = bool(error) or bool(iban_forms) or bool(csv_form and csv_form.errors)
    return render(
        request,
        "payments/cards.html",
        {
            "orders": [
                (order, forms.get(order.pk) or CardIbanForm(prefix=f"order{order.pk}"))
                for order in orders
            ],
            "open_count": selectors.card_orders_open_count(),
            "csv_form": csv_form or CardCsvForm(),
            "error": error,
        },
        status=400 if failed else 200,
    )


@staff_required
@require_POST
def card_confirm(request: HttpRequest, order_id: int) -> HttpResponse:
    _account_staff(request)
    order = CardOrder.objects.filter(pk=order_id).first()
    if order is None:
        raise Http404
    form = CardIbanForm(request.POST, prefix=f"order{order.pk}")
    if form.is_valid():
        try:
            user: User = request.user  # type: ignore[assignment]  # staff_required
            card_order_confirm(order=order, iban=form.cleaned_data["iban"], actor=user)
        except PaymentError as refused:
            form.add_error("iban", refused.message)
        else:
            messages.success(request, _("The card's account is recorded."))
            return redirect("payroll:cards")
    return _cards_page(request, iban_forms={order.pk: form})
