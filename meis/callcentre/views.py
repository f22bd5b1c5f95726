"""Pages of the 142 call log: the operator's calls, one call (identify, log, promise a call
back, end), and the call-back queue. Only call-centre operators open them.

Each action on a call's page is one handler: it returns where to go next, or "" to show the
page again with the form's errors (400)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meis.accounts.access import PersonNotFound, caller_find_for_operator, person_get_for_actor
from meis.accounts.decorators import staff_required
from meis.accounts.forms import CallStartForm
from meis.callcentre import selectors, services
from meis.callcentre.forms import CallbackForm, CallLogForm
from meis.callcentre.models import Call, Callback
from meis.callcentre.services import CallActionError
from meis.cases.models import Case
from meis.core.formats import day_time


@staff_required
def calls(request: HttpRequest) -> HttpResponse:
    """The operator's desk: the call they are on, calls still to log, today's calls."""
    operator = selectors.operator_get(actor=request.user, request=request, page="call log")
    today = timezone.localdate()
    return render(
        request,
        "callcentre/calls.html",
        {
            "open_call": selectors.call_open_for(operator=operator),
            "to_log": selectors.calls_to_log(operator=operator),
            "today": selectors.calls_of_operator_on(operator=operator, day=today),
            "callbacks": selectors.callback_counts(),
            "summary": selectors.day_summary(day=today),
        },
    )


@staff_required
@require_POST
def answer(request: HttpRequest) -> HttpResponse:
    operator = selectors.operator_get(actor=request.user, request=request, page="answer a call")
    try:
        call = services.call_answer(operator=operator)
    except CallActionError as refusal:
        messages.error(request, str(refusal))
        open_call = selectors.call_open_for(operator=operator)
        if open_call is None:
            return redirect("callcentre:calls")
        call = open_call
    return redirect("callcentre:call", reference=call.reference)


@staff_required
@require_http_methods(["GET", "POST"])
def call_page(request: HttpRequest, reference: str) -> HttpResponse:
    operator = selectors.operator_get(actor=request.user, request=request, page="call")
    call = selectors.call_get_for_operator(operator=operator, reference=reference)
    if call is None:
        raise Http404
    cases = _caller_cases(request, operator, call)
    forms = _CallForms(
        identify=CallStartForm(prefix="identify"),
        log=CallLogForm(
            initial={
                "topic": call.topic_id or (call.callback.topic_id if call.callback else None),
                "outcome": call.outcome,
                "notes": call.notes,
                "cases": sorted(
                    set(call.cases.values_list("pk", flat=True))
                    | selectors.cases_filed_on(call=call)
                ),
            },
            cases=cases,
        ),
        callback=CallbackForm(
            initial={"phone": _caller_phone(call), "callback_topic": call.topic_id}
        ),
    )
    status = 200
    if request.method == "POST":
        handler = _ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            messages.error(request, _("Choose what to do with the call."))
            return redirect("callcentre:call", reference=call.reference)
        try:
            done = handler(request, operator, call, forms, cases)
        except CallActionError as refusal:
            messages.error(request, str(refusal))
            return redirect("callcentre:call", reference=call.reference)
        if done:
            return redirect(done)
        status = 400
    return render(
        request,
        "callcentre/call.html",
        {
            "call": call,
            "caller": call.caller if call.is_open else None,
            "caller_url": reverse("accounts:staff_person", args=[call.caller_id])
            if call.caller_id and call.is_open
            else "",
            "linked_cases": list(call.cases.all()),
            "callbacks": Callback.objects.filter(requested_in=call).select_related("topic"),
            "callback_phone": selectors.callback_phone_read(
                callback=call.callback, operator=operator, request=request
            )
            if call.callback and call.is_open
            else "",
            "identify_form": forms.identify,
            "log_form": forms.log,
            "callback_form": forms.callback,
        },
        status=status,
    )


@dataclass
class _CallForms:
    identify: CallStartForm
    log: CallLogForm
    callback: CallbackForm


def _identify(
    request: HttpRequest, operator: User, call: Call, forms: _CallForms, cases: list[Case]
) -> str:
    forms.identify = CallStartForm(request.POST, prefix="identify")
    if not forms.identify.is_valid():
        return ""
    caller = caller_find_for_operator(
        operator=operator,
        fin=forms.identify.cleaned_data["fin"],
        document_number=forms.identify.cleaned_data["document_number"],
        request=request,
    )
    if caller is None:
        forms.identify.add_error(
            None,
            _("No living person holds a valid document with these numbers. Ask the caller again."),
        )
        return ""
    services.call_identify(call=call, operator=operator, caller=caller)
    messages.success(request, _("The caller is identified."))
    # Where the operator acts for them; "Log and end the call" there leads back to this call.
    return reverse("accounts:staff_person", args=[caller.pk])


def _log(
    request: HttpRequest, operator: User, call: Call, forms: _CallForms, cases: list[Case]
) -> str:
    end = request.POST["action"] == "end"
    forms.log = CallLogForm(request.POST, cases=cases)
    if not (forms.log.require_topic_and_outcome() if end else forms.log.is_valid()):
        return ""
    data = forms.log.cleaned_data
    services.call_log_save(
        call=call,
        operator=operator,
        topic=data["topic"],
        outcome=data["outcome"],
        notes=data["notes"],
        cases=data["cases"],
        end=end,
    )
    if end and call.is_open:
        messages.success(request, _("The call has ended and is logged."))
        return reverse("callcentre:calls")
    messages.success(request, _("The call log is saved."))
    return _call_url(call)


def _hang_up(
    request: HttpRequest, operator: User, call: Call, forms: _CallForms, cases: list[Case]
) -> str:
    services.call_end(call=call, operator=operator)
    messages.info(
        request, _("The call has ended. Write down its topic and outcome to complete the log.")
    )
    return _call_url(call)


def _callback(
    request: HttpRequest, operator: User, call: Call, forms: _CallForms, cases: list[Case]
) -> str:
    forms.callback = CallbackForm(request.POST)
    if not forms.callback.is_valid():
        return ""
    data = forms.callback.cleaned_data
    callback = services.callback_request(
        call=call, phone=data["phone"], topic=data["callback_topic"], note=data["note"]
    )
    messages.success(
        request,
        _("The call back is in the queue, to be made by %(due)s.")
        % {"due": day_time(callback.due_at)},
    )
    return _call_url(call)


def _call_url(call: Call) -> str:
    return reverse("callcentre:call", args=[call.reference])


_ACTIONS: dict[str, Callable[[HttpRequest, User, Call, _CallForms, list[Case]], str]] = {
    "identify": _identify,
    "save": _log,
    "end": _log,
    "hang-up": _hang_up,
    "callback": _callback,
}


@staff_required
def callbacks(request: HttpRequest) -> HttpResponse:
    selectors.operator_get(actor=request.user, request=request, page="call-back queue")
    return render(
        request,
        "callcentre/callbacks.html",
        {"callbacks": selectors.callback_queue(), "now": timezone.now()},
    )


@staff_required
@require_POST
def callback_take(request: HttpRequest, callback_id: int) -> HttpResponse:
    operator = selectors.operator_get(actor=request.user, request=request, page="call back")
    callback = Callback.objects.filter(pk=callback_id).first()
    if callback is None:
        raise Http404
    try:
        call = services.callback_take(callback=callback, operator=operator)
    except CallActionError as refusal:
        messages.error(request, str(refusal))
        return redirect("callcentre:callbacks")
    return redirect("callcentre:call", reference=call.reference)


def _caller_cases(request: HttpRequest, operator: User, call: Call) -> list[Case]:
    """While the call is open, the caller's applications (the read audited as any other)."""
    if call.caller_id is None or not call.is_open:
        return []
    try:
        person_get_for_actor(
            actor=operator, person_id=call.caller_id, purpose="call log", request=request
        )
    except PersonNotFound:  # the call is older than a call may open a record for
        return []
    return selectors.cases_of_caller(call=call)


def _caller_phone(call: Call) -> str:
    if call.is_open and call.caller is not None and call.caller.verified_phone:
        return call.caller.verified_phone
    return ""
