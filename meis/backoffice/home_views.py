"""The staff home, which is each role's work, the case search, and the operator's caller page.

accounts serves both pages at their addresses (`accounts:staff_home`, and `accounts:staff_person`
for an operator) and this app, which may read cases, awards and certificates, registers the views
when it starts (`apps.py`). A member of staff with several roles sees a section for each; each
section links only to pages the role opens.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language

from meis.accounts.access import (
    PERSONAL_DATA_ROLES,
    actor_roles,
    person_get_for_actor,
    personal_data_page_check,
    persons_listed_for_actor,
)
from meis.accounts.decorators import staff_required
from meis.accounts.roles import Role
from meis.accounts.selectors import call_current, case_workers_of_centre, staff_profile_get
from meis.appointments.selectors import appointment_list_for_person
from meis.awards.selectors import award_list_for_person
from meis.backoffice.forms import CallerCertificateForm, CaseSearchForm
from meis.callcentre import selectors as call_log
from meis.cases import queue_selectors, selectors
from meis.cases.models import Case
from meis.catalog.models import ApplyChannel, EService
from meis.catalog.selectors import eservice_list
from meis.centres.clock import centres_now
from meis.centres.selectors import (
    centre_closure_on,
    centre_hours_on,
    centre_next_opening,
    centre_regime_on,
    centre_regimes_from,
)
from meis.certificates.selectors import certificate_list_for_person
from meis.certificates.services import certificate_status
from meis.jobcentre.access import is_employment_officer
from meis.registry.models import Person
from meis.rules.explain import format_money
from meis.workcalendar.selectors import centre_closures_from

OVERDUE_SHOWN = 10


def staff_home(request: HttpRequest) -> HttpResponse:
    """Each of the actor's roles' work (served by `accounts:staff_home`, already signed in)."""
    roles = actor_roles(request.user)
    context: dict[str, Any] = {"roles": sorted(roles)}
    if roles & {Role.CASE_WORKER, Role.CENTRE_HEAD}:
        context.update(_queue_section(request.user))
        context["search_form"] = CaseSearchForm()
        context["is_employment_officer"] = is_employment_officer(request.user)
    if Role.CENTRE_HEAD in roles:
        context.update(_centre_section(request.user))
        if "overview" in context:  # the most overdue cases: a read of their applicants' data
            persons_listed_for_actor(
                actor=request.user,
                listed=[(case.person_id, case) for case, _reading in context["overview"].overdue],
                purpose="centre overview",
                request=request,
            )
    if Role.CALL_CENTRE_OPERATOR in roles and isinstance(request.user, User):
        context["call"] = call_log.call_open_for(operator=request.user)
        context["calls_to_log"] = call_log.calls_to_log(operator=request.user).count()
        context["callbacks"] = call_log.callback_counts()
    context["may_issue_certificates"] = bool(roles & PERSONAL_DATA_ROLES)
    return render(request, "backoffice/home.html", context)


def _queue_section(user: Any) -> dict[str, Any]:
    queue = queue_selectors.queue_of(user=user)
    if queue is None:
        return {"has_queue": False}
    return {
        "has_queue": True,
        "mine": queue_selectors.queue_counts(
            queue_selectors.queue_readings_all(queue.filter(assigned_to_id=user.pk))
        ),
        "queue_counts": queue_selectors.queue_counts(queue_selectors.queue_readings_all(queue)),
    }


def _centre_section(user: Any) -> dict[str, Any]:
    profile = staff_profile_get(user=user)
    if profile is None or profile.centre is None:
        return {}
    centre = profile.centre
    # The centres' clock, as the directory and the appointment book read it (the demo's March).
    now = timezone.localtime(centres_now())
    today = now.date()
    hours = centre_hours_on(centre=centre, day=today)
    is_open_later_today = hours is not None and now.time() < hours.closes_at
    return {
        "centre": centre,
        "overview": queue_selectors.centre_overview(
            centre_id=centre.pk,
            workers=case_workers_of_centre(centre_id=centre.pk),
            top=OVERDUE_SHOWN,
        ),
        "today": today,
        "today_hours": hours,
        "today_closure": centre_closure_on(centre=centre, day=today),
        "today_regime": centre_regime_on(centre=centre, day=today) if hours else None,
        "next_opening": None
        if is_open_later_today
        else centre_next_opening(centre=centre, after=now),
        "regimes": centre_regimes_from(centre=centre, day=today),
        "closures": centre_closures_from(centre_id=centre.pk, day=today),
        "directory_url": _url_if_mounted("centres:directory"),
    }


def _url_if_mounted(name: str, *args: Any) -> str:
    """The address of a page another app may not have mounted in this deployment ("" if not)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@staff_required
def case_search(request: HttpRequest) -> HttpResponse:
    """Find a case by its reference or the applicant's FİN, within what the actor may open."""
    personal_data_page_check(actor=request.user, request=request, page="case search")
    form = CaseSearchForm(request.GET or None)
    found = None
    status = 200
    if form.is_valid():
        found = queue_selectors.case_search_for_actor(
            actor=request.user, term=form.cleaned_data["q"], request=request
        )
        if found.error:
            form.add_error("q", found.error)
    if form.errors:
        status = 400
    rows = [(case, selectors.service_name(case)) for case in found.cases] if found else []
    return render(
        request,
        "backoffice/search.html",
        {"form": form, "found": found, "rows": rows},
        status=status,
    )


@dataclass(frozen=True)
class CaseRow:
    case: Case
    service_name: str
    reading: Any


def caller_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """The operator's caller: their applications, awards and certificates, and what the operator
    may do for them while the call lasts (served by `accounts:staff_person`)."""
    person = person_get_for_actor(
        actor=request.user, person_id=person_id, purpose="142 call", request=request
    )
    user = request.user
    call = call_current(operator=user, caller=person) if isinstance(user, User) else None
    call_logged = call_log.call_open_for(operator=user) if call and isinstance(user, User) else None
    cases = list(selectors.case_list_for_citizen(person=person))
    open_cases = [case for case in cases if case.is_open]
    readings = dict(selectors.queue_readings(open_cases)) if open_cases else {}
    return render(
        request,
        "backoffice/caller.html",
        {
            "person": person,
            "call": call,
            "call_log": call_logged,
            "appointments": [
                appointment
                for appointment in appointment_list_for_person(person=person)[:20]
                if appointment.starts_at >= timezone.now() - datetime.timedelta(days=30)
            ],
            "open_cases": [
                CaseRow(case, selectors.service_name(case), readings.get(case))
                for case in open_cases
            ],
            "closed_cases": [
                CaseRow(case, selectors.service_name(case), None)
                for case in cases
                if not case.is_open
            ],
            **_caller_holdings(person),
            "services": _services_on_behalf() if call else [],
            "certificate_form": CallerCertificateForm() if call else None,
            # The appointment book, where this deployment has one.
            "booking_url": _url_if_mounted("appointments:call_book", person.pk) if call else "",
        },
    )


def _caller_holdings(person: Person) -> dict[str, Any]:
    lang = _language()
    today = datetime.date.today()  # noqa: DTZ011 — display only, as on the citizen's page
    return {
        "awards": [
            (award, format_money(award.amount_qepik, lang))
            for award in award_list_for_person(person=person)
        ],
        "certificates": [
            (certificate, certificate_status(certificate, on=today))
            for certificate in certificate_list_for_person(person=person)
        ],
    }


def _services_on_behalf() -> list[EService]:
    """The catalogue's services an operator files for a caller: those staff file on a citizen's
    behalf that the apply pages take through the call centre (online, or decided by a person)."""
    on_behalf = eservice_list().filter(for_staff_on_behalf=True)
    return list(on_behalf.filter(Q(channel=ApplyChannel.ONLINE) | Q(is_instant=False)))


def _language() -> str:
    lang = (get_language() or "az")[:2]
    return lang if lang in ("az", "en", "ru") else "az"
