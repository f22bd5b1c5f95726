"""Sign-in pages, the citizen's own pages and the staff record page: parse, call, render."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from meis.accounts import services
from meis.accounts.access import (
    actor_roles,
    caller_find_for_operator,
    citizen_person,
    household_for_citizen,
    household_members_represented,
    person_get_for_actor,
    personal_data_page_check,
)
from meis.accounts.decorators import citizen_required, staff_required
from meis.accounts.forms import CallStartForm, CitizenSignInForm, OneTimeCodeForm, StaffSignInForm
from meis.accounts.roles import Role
from meis.accounts.selectors import call_current
from meis.accounts.urls_helpers import safe_next
from meis.audit.models import AuditAction
from meis.audit.selectors import person_access_lines, person_access_log_page
from meis.audit.services import audit_record
from meis.registry.models import Person

SESSION_CHALLENGE = "meis_sign_in_challenge"


def _locked_message(until: datetime.datetime) -> str:
    return _(
        "There have been too many attempts to sign in with these details. For your safety, "
        "sign-in is paused. Try again after %(time)s."
    ) % {"time": time_format(timezone.localtime(until), "H:i")}


# --- Citizens -------------------------------------------------------------------------------
def citizen_sign_in(request: HttpRequest) -> HttpResponse:
    form = CitizenSignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = services.citizen_code_request(
            fin=form.cleaned_data["fin"],
            document_number=form.cleaned_data["document_number"],
            request=request,
        )
        if outcome.blocked_until:
            form.add_error(None, _locked_message(outcome.blocked_until))
            status = 429
        else:
            request.session[SESSION_CHALLENGE] = outcome.challenge_id
            url = reverse("accounts:citizen_code")
            if nxt := safe_next(request, ""):
                url += "?" + _next_query(nxt)
            return redirect(url)
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "accounts/citizen_sign_in.html", context, status=status)


def _next_query(target: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": target})


def citizen_code(request: HttpRequest) -> HttpResponse:
    challenge_id = request.session.get(SESSION_CHALLENGE)
    if challenge_id is None:
        return redirect("accounts:citizen_sign_in")
    form = OneTimeCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = services.citizen_code_verify(
            challenge_id=challenge_id, code=form.cleaned_data["code"], request=request
        )
        if outcome.check is services.CodeCheck.ACCEPTED and outcome.person is not None:
            del request.session[SESSION_CHALLENGE]
            services.citizen_sign_in(request=request, person=outcome.person, method=outcome.method)
            return redirect(safe_next(request, reverse("accounts:my_record")))
        status = 400
        if outcome.check is services.CodeCheck.WRONG:
            form.add_error("code", _("This code is not right. Check the message and try again."))
        elif outcome.check is services.CodeCheck.LOCKED and outcome.blocked_until:
            form.add_error(None, _locked_message(outcome.blocked_until))
            status = 429
        else:
            form.add_error(
                None,
                _(
                    "This code can no longer be used: it has expired, it was already used or it "
                    "was entered wrongly 3 times. Request a new code."
                ),
            )
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "accounts/citizen_code.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(action=AuditAction.SIGN_OUT, actor=request.user, request=request)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("portal:home")


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.user_sessions_end_everywhere(user=request.user)
        audit_record(action=AuditAction.SIGN_OUT_EVERYWHERE, actor=request.user, request=request)
    logout(request)
    messages.info(request, _("You have signed out on every device."))
    return redirect("portal:home")


@citizen_required
def my_record(request: HttpRequest) -> HttpResponse:
    person = citizen_person(request.user)
    assert person is not None  # noqa: S101 — citizen_required guarantees it
    return render(request, "accounts/my_record.html", _record_context(request, person, own=True))


@citizen_required
def household_member(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get_for_actor(
        actor=request.user, person_id=person_id, purpose="household record", request=request
    )
    return render(request, "accounts/my_record.html", _record_context(request, person, own=False))


WHO_LOOKED_PAGE_SIZE = 50


@citizen_required
def who_looked(request: HttpRequest) -> HttpResponse:
    """Who looked at the citizen's data: one line per reader, thing and day, 50 lines a page."""
    person = citizen_person(request.user)
    assert person is not None  # noqa: S101
    page = Paginator(person_access_lines(person=person), WHO_LOOKED_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    lines = person_access_log_page(groups=page.object_list, person=person)
    return render(request, "accounts/who_looked.html", {"entries": lines, "page": page})


def _record_context(request: HttpRequest, person: Person, *, own: bool) -> dict[str, Any]:
    household = household_for_citizen(person=person)
    return {
        "person": person,
        "documents": person.documents.all(),
        "household": household,
        "represented": household_members_represented(person=person) if own else set(),
        "own": own,
        "identification_method": request.session.get(services.SESSION_IDENTIFICATION_METHOD, ""),
    }


# --- Staff ----------------------------------------------------------------------------------
def staff_sign_in(request: HttpRequest) -> HttpResponse:
    form = StaffSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return staff_locked_out(request)
        device = match_token(user, form.cleaned_data["otp_token"]) if user is not None else None
        if user is not None and device is not None:
            from django.contrib.auth import login

            login(request, user, backend=services.SIGN_IN_BACKEND)
            otp_login(request, device)
            roles = actor_roles(user)
            audit_record(
                action=AuditAction.SIGN_IN,
                actor=user,
                actor_role=",".join(sorted(roles)),
                request=request,
                details={"method": "password+TOTP"},
            )
            return redirect(safe_next(request, reverse("accounts:staff_home")))
        if user is not None:  # the password was right, the second factor was not
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=request
            )
            if getattr(request, "axes_locked_out", False):
                return staff_locked_out(request)
        form.add_error(
            None,
            _("The username, password or code is not right. Check them and try again."),
        )
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "accounts/staff_sign_in.html", context)


def staff_locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the staff sign-in page with the time to retry."""
    until = timezone.now() + datetime.timedelta(minutes=settings.MEIS_SIGN_IN_COOL_OFF_MINUTES)
    context = {"form": StaffSignInForm(), "lock_message": _locked_message(until)}
    return render(request, "accounts/staff_sign_in.html", context, status=429)


# The staff home and the operator's caller page show cases, awards and certificates, which
# accounts may not import; the app that may (the back office) registers its pages here when it
# starts, as apps above accounts register their grounds with the person funnel.
StaffPage = Callable[..., HttpResponse]
_staff_pages: dict[str, StaffPage] = {}


def staff_page_register(name: str, view: StaffPage) -> None:
    """Serve the staff home ("home") or an operator's caller page ("caller") with `view`."""
    _staff_pages[name] = view


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    if "home" in _staff_pages:
        return _staff_pages["home"](request)
    roles = actor_roles(request.user)
    return render(request, "accounts/staff_home.html", {"roles": sorted(roles)})


@staff_required
def staff_person(request: HttpRequest, person_id: int) -> HttpResponse:
    personal_data_page_check(actor=request.user, request=request, page="staff person record")
    if "caller" in _staff_pages and Role.CALL_CENTRE_OPERATOR in actor_roles(request.user):
        return _staff_pages["caller"](request, person_id)
    person = person_get_for_actor(
        actor=request.user, person_id=person_id, purpose="record view", request=request
    )
    return render(request, "accounts/my_record.html", _record_context(request, person, own=False))


@staff_required
def call_start(request: HttpRequest) -> HttpResponse:
    if Role.CALL_CENTRE_OPERATOR not in actor_roles(request.user):
        personal_data_page_check(actor=request.user, request=request, page="call start")
        raise PermissionDenied
    form = CallStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and isinstance(request.user, User):
        caller = caller_find_for_operator(
            operator=request.user,
            fin=form.cleaned_data["fin"],
            document_number=form.cleaned_data["document_number"],
            request=request,
        )
        if caller is not None:
            services.call_session_start(
                operator=request.user,
                caller=caller,
                identified_by="document+FIN stated by caller",
            )
            return HttpResponseRedirect(reverse("accounts:staff_person", args=[caller.pk]))
        form.add_error(
            None,
            _("No living person holds a valid document with these numbers. Ask the caller again."),
        )
    call = call_current(operator=request.user) if isinstance(request.user, User) else None
    return render(request, "accounts/call_start.html", {"form": form, "call": call})


@staff_required
@require_POST
def call_end(request: HttpRequest) -> HttpResponse:
    """End the operator's call: from now on they can neither read nor act for the caller."""
    if isinstance(request.user, User):
        services.call_session_end(operator=request.user)
    messages.info(request, _("The call has ended."))
    return redirect("accounts:call_start")
