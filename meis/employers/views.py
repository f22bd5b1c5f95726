"""The employer's pages: its employees, contracts and history, and notifications confirmed with
a one-time code (ADR 0020). Parse, call the register's services, render; 404 for any employer
or contract the signed-in person does not act for."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meis.accounts.access import citizen_person
from meis.accounts.decorators import citizen_required
from meis.accounts.models import BindingGrantor, EmployerRepresentative
from meis.accounts.services import CodeCheck
from meis.core import formats
from meis.employers import selectors
from meis.employers.confirmation import (
    ConfirmationUnavailable,
    Pending,
    confirmation_cancel,
    confirmation_done,
    confirmation_done_url,
    confirmation_pending,
    confirmation_send,
    confirmation_verify,
)
from meis.employers.forms import (
    AmendForm,
    BindForm,
    CodeForm,
    DateForm,
    HireForm,
    JobKind,
    TerminateForm,
    problems_to_form,
)
from meis.labour.models import (
    Assurance,
    Contract,
    ContractStatus,
    ContractTerm,
    NotificationBatch,
    Occupation,
    TerminationGround,
)
from meis.labour.services import (
    BindingRefused,
    NotificationRefused,
    conclusions_register,
    contract_amend,
    contract_resume,
    contract_suspend,
    contract_terminate,
    representative_bind,
    representative_unbind,
)
from meis.labour.validation import ContractDraft, Problem, conclusions_check
from meis.registry.models import Employer, Person
from meis.registry.selectors import person_get_by_fin_and_document

EMPLOYEES_PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 50


def _upload_url(employer: Employer) -> str:
    """The bulk upload's page, when it is mounted (it is built separately)."""
    try:
        return reverse("employers:upload", kwargs={"voen": employer.voen})
    except NoReverseMatch:
        return ""


# --- Employers and their home --------------------------------------------------------------


@citizen_required
def employer_list(request: HttpRequest) -> HttpResponse:
    employers = list(selectors.employers_for_actor(actor=request.user))
    if not employers:
        raise Http404
    if len(employers) == 1:
        return redirect("employers:home", voen=employers[0].voen)
    return render(request, "employers/employer_list.html", {"employers": employers})


@citizen_required
def employer_home(request: HttpRequest, voen: str) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    query = request.GET.get("q", "")[:100].replace("\x00", "")
    page = Paginator(selectors.employees_live(employer=employer, query=query), EMPLOYEES_PAGE_SIZE)
    context = {
        "employer": employer,
        "page": page.get_page(request.GET.get("page")),
        "query": query,
        "upload_url": _upload_url(employer),
        "is_head": selectors.actor_heads(actor=request.user, employer=employer),
    }
    return render(request, "employers/employer_home.html", context)


@citizen_required
def employer_history(request: HttpRequest, voen: str) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    page = Paginator(selectors.employer_history(employer=employer), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    versions = [(v, selectors.notifier_name(v)) for v in page.object_list]
    context = {"employer": employer, "page": page, "versions": versions}
    return render(request, "employers/history.html", context)


# --- Notify a hire -------------------------------------------------------------------------


def _draft_json(draft: ContractDraft) -> dict[str, Any]:
    return {
        "employee_fin": draft.employee_fin,
        "occupation_code": draft.occupation_code,
        "position": draft.position.strip(),
        "workplace": draft.workplace.strip(),
        "monthly_wage_qepik": draft.monthly_wage_qepik,
        "weekly_hours": draft.weekly_hours,
        "term": draft.term,
        "fixed_end_on": draft.fixed_end_on.isoformat() if draft.fixed_end_on else None,
        "probation_months": draft.probation_months,
        "concluded_on": draft.concluded_on.isoformat(),
        "start_on": draft.start_on.isoformat(),
        "is_main_job": draft.is_main_job,
    }


def _draft_from_json(data: dict[str, Any]) -> ContractDraft:
    def on(value: object) -> datetime.date | None:
        return datetime.date.fromisoformat(str(value)) if value else None

    values = dict(data)
    values["fixed_end_on"] = on(data.get("fixed_end_on"))
    values["concluded_on"] = on(data["concluded_on"])
    values["start_on"] = on(data["start_on"])
    return ContractDraft(**values)


def _terms_summary(draft: ContractDraft) -> list[list[str]]:
    occupation = Occupation.objects.filter(code=draft.occupation_code).first()
    rows = [
        [_("Occupation"), str(occupation) if occupation else draft.occupation_code],
        [_("Position"), draft.position],
        [_("Workplace"), draft.workplace],
        [_("Monthly wage"), formats.money(draft.monthly_wage_qepik)],
        [_("Working hours a week"), str(draft.weekly_hours)],
        [_("Term of the contract"), str(ContractTerm(draft.term).label)],
    ]
    if draft.fixed_end_on:
        rows.append([_("End of the fixed term"), formats.day(draft.fixed_end_on)])
    rows += [
        [_("Probation, months"), str(draft.probation_months)],
        [_("Main or secondary job"), _("Main job") if draft.is_main_job else _("Secondary job")],
    ]
    return rows


def _send(
    request: HttpRequest,
    form: Any,
    employer: Employer,
    action: str,
    payload: dict[str, Any],
    summary: list[list[str]],
) -> HttpResponse | None:
    person = citizen_person(request.user)
    assert person is not None  # noqa: S101 — citizen_required
    try:
        confirmation_send(
            request=request,
            person=person,
            action=action,
            payload={"employer": employer.voen, **payload},
            summary=summary,
        )
    except ConfirmationUnavailable as error:
        form.add_error(None, str(error))
        return None
    return redirect("employers:confirm", voen=employer.voen)


@citizen_required
def contract_new(request: HttpRequest, voen: str) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    form = HireForm(request.POST or None, initial={"job": JobKind.MAIN, "term": "indefinite"})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            draft = form.draft()
            checked = conclusions_check(
                employer_id=employer.pk, drafts=[draft], today=_today(), first_row=0
            )
            if checked.all_problems:
                problems_to_form(form, checked.all_problems)
            else:
                employee = employer_employee_name(draft.employee_fin)
                summary = [[_("Employee"), f"{employee} ({draft.employee_fin})"]]
                summary += _terms_summary(draft)
                summary += [
                    [_("Contract concluded on"), formats.day(draft.concluded_on)],
                    [_("First day of work"), formats.day(draft.start_on)],
                ]
                sent = _send(
                    request,
                    form,
                    employer,
                    "conclude",
                    {"draft": _draft_json(draft), "title": _("Notify a hire")},
                    summary,
                )
                if sent is not None:
                    return sent
    context = {"employer": employer, "form": form}
    return render(request, "employers/contract_new.html", context, status=status)


def employer_employee_name(fin: str) -> str:
    person = Person.objects.filter(fin=fin).first()
    return person.full_name if person else ""


def _today() -> datetime.date:
    return timezone.localdate()


# --- A contract and its later notifications ------------------------------------------------


@citizen_required
def contract_detail(request: HttpRequest, voen: str, contract_id: int) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    contract = selectors.contract_for_employer(employer=employer, contract_id=contract_id)
    versions = [
        (v, selectors.notifier_name(v)) for v in selectors.contract_versions(contract=contract)
    ]
    context = {
        "employer": employer,
        "contract": contract,
        "versions": versions,
        "is_live": contract.status != ContractStatus.TERMINATED,
        "is_active": contract.status == ContractStatus.ACTIVE,
        "is_suspended": contract.status == ContractStatus.SUSPENDED,
    }
    return render(request, "employers/contract_detail.html", context)


def _contract_draft(contract: Contract, data: dict[str, Any]) -> ContractDraft:
    return ContractDraft(
        employee_fin=contract.person.fin,
        occupation_code=data["occupation_code"],
        position=data["position"],
        workplace=data["workplace"],
        monthly_wage_qepik=data["monthly_wage"],
        weekly_hours=data["weekly_hours"],
        term=data["term"],
        fixed_end_on=data["fixed_end_on"],
        probation_months=data["probation_months"],
        concluded_on=contract.concluded_on,
        start_on=contract.start_on,
        is_main_job=data["job"] == JobKind.MAIN,
    )


def _contract_heading(contract: Contract) -> list[list[str]]:
    return [
        [_("Contract"), contract.number],
        [_("Employee"), f"{contract.person.full_name} ({contract.person.fin})"],
    ]


@citizen_required
def contract_amend_view(request: HttpRequest, voen: str, contract_id: int) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    contract = selectors.contract_for_employer(employer=employer, contract_id=contract_id)
    if contract.status == ContractStatus.TERMINATED:
        raise Http404
    initial = {
        "occupation_code": contract.occupation.code,
        "position": contract.position,
        "workplace": contract.workplace,
        "monthly_wage": f"{contract.monthly_wage_qepik // 100}.{contract.monthly_wage_qepik % 100:02d}",
        "weekly_hours": contract.weekly_hours,
        "term": contract.term,
        "fixed_end_on": contract.fixed_end_on,
        "probation_months": contract.probation_months,
        "job": JobKind.MAIN if contract.is_main_job else JobKind.SECONDARY,
        "effective_on": _today(),
    }
    form = AmendForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            draft = _contract_draft(contract, form.cleaned_data)
            effective_on = form.cleaned_data["effective_on"]
            summary = _contract_heading(contract) + _terms_summary(draft)
            summary.append([_("The new terms apply from"), formats.day(effective_on)])
            payload = {
                "contract": contract.pk,
                "effective_on": effective_on.isoformat(),
                "draft": _draft_json(draft),
                "title": _("Amend the contract"),
            }
            sent = _send(request, form, employer, "amend", payload, summary)
            if sent is not None:
                return sent
    context = {"employer": employer, "contract": contract, "form": form}
    return render(request, "employers/contract_amend.html", context, status=status)


@citizen_required
def contract_terminate_view(request: HttpRequest, voen: str, contract_id: int) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    contract = selectors.contract_for_employer(employer=employer, contract_id=contract_id)
    if contract.status == ContractStatus.TERMINATED:
        raise Http404
    form = TerminateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            on = form.cleaned_data["terminated_on"]
            ground = TerminationGround.objects.get(code=form.cleaned_data["ground"])
            if on < contract.start_on:
                form.add_error(
                    "terminated_on",
                    _("A contract cannot end before work started (%(start)s).")
                    % {"start": f"{contract.start_on:%d.%m.%Y}"},
                )
            else:
                summary = _contract_heading(contract) + [
                    [_("Last day of work"), formats.day(on)],
                    [_("Ground of termination"), str(ground)],
                ]
                payload = {
                    "contract": contract.pk,
                    "on": on.isoformat(),
                    "ground": ground.code,
                    "title": _("Terminate the contract"),
                }
                sent = _send(request, form, employer, "terminate", payload, summary)
                if sent is not None:
                    return sent
    context = {"employer": employer, "contract": contract, "form": form}
    return render(request, "employers/contract_terminate.html", context, status=status)


@citizen_required
def contract_suspend_view(request: HttpRequest, voen: str, contract_id: int) -> HttpResponse:
    return _dated_notice(request, voen, contract_id, "suspend")


@citizen_required
def contract_resume_view(request: HttpRequest, voen: str, contract_id: int) -> HttpResponse:
    return _dated_notice(request, voen, contract_id, "resume")


def _dated_notice(request: HttpRequest, voen: str, contract_id: int, action: str) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    contract = selectors.contract_for_employer(employer=employer, contract_id=contract_id)
    wanted = ContractStatus.ACTIVE if action == "suspend" else ContractStatus.SUSPENDED
    if contract.status != wanted:
        raise Http404
    form = DateForm(request.POST or None, initial={"effective_on": _today()})
    title = _("Suspend the contract") if action == "suspend" else _("Resume the contract")
    label = _("Suspended from") if action == "suspend" else _("Work resumes on")
    form.fields["effective_on"].label = label
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            on = form.cleaned_data["effective_on"]
            summary = _contract_heading(contract) + [[label, formats.day(on)]]
            payload = {"contract": contract.pk, "on": on.isoformat(), "title": title}
            sent = _send(request, form, employer, action, payload, summary)
            if sent is not None:
                return sent
    context = {"employer": employer, "contract": contract, "form": form, "title": title}
    return render(request, "employers/contract_dated.html", context, status=status)


# --- Confirmation with the one-time code ---------------------------------------------------


@citizen_required
def confirm(request: HttpRequest, voen: str) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    pending = confirmation_pending(request=request)
    posted_challenge = request.POST.get("challenge", "")[:20]
    if request.method == "POST" and (
        pending is None or str(pending.challenge_id) != posted_challenge
    ):
        # The same confirmation posted again (a double click, the back button): show what the
        # first one registered rather than registering twice.
        earlier = confirmation_done_url(request=request, challenge_id=posted_challenge)
        earlier = earlier or _concluded_by_challenge(employer, posted_challenge)
        if earlier:
            return redirect(earlier)
        messages.info(request, _("This confirmation is no longer waiting. Start again."))
        return redirect("employers:home", voen=employer.voen)
    if pending is None or pending.payload.get("employer") != employer.voen:
        return redirect("employers:home", voen=employer.voen)
    form = CodeForm(request.POST or None, initial={"challenge": pending.challenge_id})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = confirmation_verify(request=request, code=form.cleaned_data["code"])
            if outcome and outcome.pending is not None:
                return _act(request, employer, outcome.pending)
            if outcome.check is CodeCheck.WRONG:
                form.add_error("code", outcome.message)
            else:
                form.add_error(None, outcome.message)
    context = {"employer": employer, "pending": pending, "form": form}
    return render(request, "employers/confirm.html", context, status=status)


@citizen_required
@require_POST
def confirm_cancel(request: HttpRequest, voen: str) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    confirmation_cancel(request=request)
    messages.info(request, _("Nothing was notified."))
    return redirect("employers:home", voen=employer.voen)


def _concluded_by_challenge(employer: Employer, challenge: str) -> str | None:
    if not challenge.isdigit():
        return None
    batch = NotificationBatch.objects.filter(
        employer=employer, idempotency_key=f"otp-{challenge}"
    ).first()
    contract = batch.versions.filter(number=1).first() if batch else None
    if contract is None:
        return None
    return reverse(
        "employers:contract", kwargs={"voen": employer.voen, "contract_id": contract.contract_id}
    )


def _act(request: HttpRequest, employer: Employer, pending: Pending) -> HttpResponse:
    """Register the confirmed notification (the code was right and is now used)."""
    payload = pending.payload
    try:
        if pending.action == "conclude":
            result = conclusions_register(
                employer=employer,
                drafts=[_draft_from_json(payload["draft"])],
                actor=request.user,
                assurance=Assurance.ONE_TIME_CODE,
                idempotency_key=f"otp-{pending.challenge_id}",
                first_row=0,
            )
            if result.problems:
                raise NotificationRefused(result.problems)
            contract = result.contracts[0]
            done = _("Registered under number %(number)s. The employee has been informed.")
        else:
            contract = selectors.contract_for_employer(
                employer=employer, contract_id=int(payload["contract"])
            )
            contract, done = _later_notice(request, contract, pending)
    except NotificationRefused as refused:
        return _refused(request, employer, pending, refused.problems)
    url = reverse("employers:contract", kwargs={"voen": employer.voen, "contract_id": contract.pk})
    confirmation_done(request=request, pending=pending, url=url)
    messages.success(request, done % {"number": contract.number})
    return redirect(url)


def _later_notice(
    request: HttpRequest, contract: Contract, pending: Pending
) -> tuple[Contract, str]:
    payload = pending.payload
    otp = Assurance.ONE_TIME_CODE
    if pending.action == "amend":
        contract = contract_amend(
            contract=contract,
            changes=_draft_from_json(payload["draft"]),
            effective_on=datetime.date.fromisoformat(payload["effective_on"]),
            actor=request.user,
            assurance=otp,
        )
        return contract, _(
            "The amendment of %(number)s is registered. The employee has been informed."
        )
    on = datetime.date.fromisoformat(payload["on"])
    if pending.action == "terminate":
        ground = TerminationGround.objects.get(code=payload["ground"])
        contract = contract_terminate(
            contract=contract, on=on, ground=ground, actor=request.user, assurance=otp
        )
        return contract, _(
            "The termination of %(number)s is registered. The employee has been informed."
        )
    if pending.action == "suspend":
        contract = contract_suspend(
            contract=contract, from_on=on, actor=request.user, assurance=otp
        )
        return contract, _(
            "The suspension of %(number)s is registered. The employee has been informed."
        )
    if pending.action == "resume":
        contract = contract_resume(contract=contract, on=on, actor=request.user, assurance=otp)
        return contract, _(
            "The resumption of %(number)s is registered. The employee has been informed."
        )
    raise Http404


def _refused(
    request: HttpRequest, employer: Employer, pending: Pending, problems: list[Problem]
) -> HttpResponse:
    context = {"employer": employer, "pending": pending, "problems": problems}
    return render(request, "employers/refused.html", context, status=409)


# --- Representatives (the employer's head) -------------------------------------------------


def _head_employer(request: HttpRequest, voen: str) -> Employer:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    if not selectors.actor_heads(actor=request.user, employer=employer):
        raise Http404
    return employer


@citizen_required
def representatives(request: HttpRequest, voen: str) -> HttpResponse:
    employer = _head_employer(request, voen)
    form = BindForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            person = person_get_by_fin_and_document(
                fin=form.cleaned_data["fin"],
                document_number=form.cleaned_data["document_number"],
            )
            if person is None:
                form.add_error(
                    None,
                    _(
                        "No living person holds a valid identity card with this number and "
                        "this FİN. Check both numbers."
                    ),
                )
            else:
                try:
                    representative_bind(
                        employer=employer,
                        person=person,
                        actor=request.user,
                        granted_as=BindingGrantor.EMPLOYER_HEAD,
                    )
                except BindingRefused as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("%(name)s may now act for %(employer)s.")
                        % {"name": person.full_name, "employer": employer.name},
                    )
                    return redirect("employers:representatives", voen=employer.voen)
    context = {
        "employer": employer,
        "form": form,
        "bindings": selectors.representatives_live(employer=employer),
    }
    return render(request, "employers/representatives.html", context, status=status)


@citizen_required
@require_POST
def representative_revoke(request: HttpRequest, voen: str, binding_id: int) -> HttpResponse:
    employer = _head_employer(request, voen)
    if binding_id > selectors.LARGEST_ID:
        raise Http404
    binding = EmployerRepresentative.objects.filter(
        pk=binding_id, employer=employer, revoked_at__isnull=True
    ).first()
    if binding is None:
        raise Http404
    representative_unbind(binding=binding, actor=request.user)
    messages.success(request, _("The binding is revoked."))
    return redirect("employers:representatives", voen=employer.voen)
