"""Pages of the appointment book: a citizen books, cancels and reschedules; a 142 operator books
for the caller; staff see their centre's day per counter, record no-shows and hand over
documents. Views parse, call a service or selector, render."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meis.accounts.access import actor_roles, citizen_person, person_get_for_actor
from meis.accounts.decorators import citizen_required, staff_required
from meis.accounts.roles import Role
from meis.accounts.selectors import call_current, staff_profile_get
from meis.appointments import selectors, services
from meis.appointments.models import Appointment, BookingChannel, Pickup
from meis.appointments.services import PICKUP_SERVICE, BookingError, HandoverRefused
from meis.audit.services import audit_record
from meis.centres.clock import centres_now
from meis.centres.models import ServiceCentre
from meis.centres.selectors import centre_offers, service_centre_get, service_centre_list
from meis.registry.models import Person

# --- The booking page (citizen and operator) ---------------------------------------------------

# The booking page's controls, by the label the error summary names each error with.
LABELS: dict[str, Promise] = {
    "centre": gettext_lazy("Centre"),
    "service": gettext_lazy("What for"),
    "day": gettext_lazy("Day"),
    "time": gettext_lazy("Time"),
}


@dataclass(frozen=True)
class ChoiceError:
    """What is wrong with one control of the booking page (a key of LABELS)."""

    field: str
    message: str


@dataclass(frozen=True)
class SummaryError:
    """A line of the error summary: "<label>: <message>", linked to the control when the page
    shows it (a pickup or a change of time shows no centre to choose)."""

    label: Promise
    message: str
    href: str


@dataclass
class Choice:
    """What the visitor chose so far, parsed from the query or the form; errors say what not."""

    centre: ServiceCentre | None = None
    service: str = ""
    day: datetime.date | None = None
    errors: list[ChoiceError] = field(default_factory=list)

    def is_wrong(self, *fields: str) -> bool:
        return any(error.field in fields for error in self.errors)


def _parse_day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _choice(data: dict[str, str], *, pickup: Pickup | None) -> Choice:
    choice = Choice()
    code = pickup.centre.code if pickup else str(data.get("centre", "")).strip()
    if code:
        choice.centre = service_centre_get(code=code)
        if choice.centre is None:
            choice.errors.append(
                ChoiceError("centre", _("There is no such centre. Choose one from the list."))
            )
    choice.service = PICKUP_SERVICE if pickup else str(data.get("service", "")).strip()
    if choice.centre and choice.service and choice.service not in choice.centre.services:
        message = _("%(centre)s does not offer “%(service)s”. Choose another centre.") % {
            "centre": choice.centre.name,
            "service": selectors.service_name(choice.service),
        }
        choice.errors.append(ChoiceError("centre", message))
    day = str(data.get("day", "")).strip()
    if day:
        choice.day = _parse_day(day)
        if choice.day is None:
            choice.errors.append(
                ChoiceError("day", _("Enter the day as a date, for example 2020-03-17."))
            )
    return choice


def _service_options(centres: list[ServiceCentre]) -> list[tuple[str, str]]:
    codes = sorted({code for centre in centres for code in centre.services})
    return sorted(((c, selectors.service_name(c)) for c in codes), key=lambda pair: pair[1])


def _parse_time(value: str) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def _booking_page(
    request: HttpRequest,
    *,
    person: Person,
    pickup: Pickup | None = None,
    replace: Appointment | None = None,
    call_reference: str = "",
    done_url: str,
) -> HttpResponse:
    data: dict[str, str] = (request.POST if request.method == "POST" else request.GET).dict()
    if replace is not None and not data.get("centre"):
        data["centre"] = replace.slot.centre.code
        data["service"] = replace.service_code
    choice = _choice(data, pickup=pickup or (replace.pickup if replace else None))
    now = centres_now()
    if request.method == "POST" and not choice.errors:
        starts_at = _parse_time(str(request.POST.get("time", "")))
        if choice.centre is None or not choice.service or starts_at is None:
            missing = (
                "centre" if choice.centre is None else "service" if not choice.service else "time"
            )
            choice.errors.append(ChoiceError(missing, _("Choose a centre, a service and a time.")))
        else:
            try:
                _book_or_move(
                    request,
                    person=person,
                    choice=choice,
                    starts_at=starts_at,
                    pickup=pickup,
                    replace=replace,
                    call_reference=call_reference,
                )
            except BookingError as error:
                choice.errors.append(ChoiceError("time", str(error)))
            else:
                return HttpResponseRedirect(done_url)
    centres = list(service_centre_list())
    # A wrong day or a refused time leaves the days and times on the page to choose again.
    days = (
        selectors.bookable_days(centre=choice.centre, service_code=choice.service, after=now)
        if choice.centre and choice.service and not choice.is_wrong("centre", "service")
        else []
    )
    times = (
        selectors.appointment_times(centre=choice.centre, day=choice.day, after=now)
        if choice.centre and choice.day and choice.service
        else []
    )
    # Today after the centre's last time is not among the days; asked for (a page left open),
    # it says that no times are left, not that the centre is closed.
    today_is_over = (
        choice.centre is not None
        and choice.day == timezone.localtime(now).date()
        and choice.day not in days
        and bool(choice.service)
        and centre_offers(centre=choice.centre, service_code=choice.service, day=choice.day)
        and bool(selectors.slot_starts_on(centre=choice.centre, day=choice.day))
    )
    # Where each control is on the page, when it is shown: the time's is the first free time.
    free = [n for n, option in enumerate(times, start=1) if option.free]
    chooses_centre = pickup is None and replace is None
    targets = {
        "centre": "#centre" if chooses_centre else "",
        "service": "#service" if chooses_centre else "",
        "day": "#day" if days else "",
        "time": f"#time-{free[0]}" if choice.day in days and free else "",
    }
    error_summary = [
        SummaryError(LABELS[error.field], error.message, targets[error.field])
        for error in choice.errors
    ]
    return render(
        request,
        "appointments/book.html",
        {
            "person": person,
            "choice": choice,
            "error_summary": error_summary,
            "centres": centres,
            "services": _service_options(centres),
            "days": days,
            "times": times,
            "pickup": pickup,
            "replace": replace,
            "call_reference": call_reference,
            "service_label": selectors.service_name(choice.service) if choice.service else "",
            "day_is_bookable": choice.day in days or today_is_over,
        },
        status=400 if request.method == "POST" else 200,
    )


def _book_or_move(
    request: HttpRequest,
    *,
    person: Person,
    choice: Choice,
    starts_at: datetime.datetime,
    pickup: Pickup | None,
    replace: Appointment | None,
    call_reference: str,
) -> None:
    assert choice.centre is not None  # noqa: S101 — checked by the caller
    if replace is not None:
        new = services.appointment_reschedule(
            appointment=replace,
            starts_at=starts_at,
            centre=choice.centre,
            actor=request.user,
            request=request,
        )
        message = _("Your appointment was moved to %(time)s.")
    else:
        new = services.appointment_book(
            person=person,
            centre=choice.centre,
            service_code=choice.service,
            starts_at=starts_at,
            actor=request.user,
            channel=BookingChannel.CALL_CENTRE if call_reference else BookingChannel.PORTAL,
            pickup=pickup,
            call_reference=call_reference,
            request=request,
        )
        message = _("Booked: %(time)s.")
    when = timezone.localtime(new.starts_at)
    messages.success(
        request,
        message % {"time": f"{when:%d.%m.%Y %H:%M}, {choice.centre.name}"},
    )


def _own_person(request: HttpRequest) -> Person:
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    return person


@citizen_required
def book(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    return _booking_page(request, person=person, done_url=reverse("appointments:mine"))


@citizen_required
def pickup_book(request: HttpRequest, pickup_id: int) -> HttpResponse:
    person = _own_person(request)
    pickup = selectors.pickup_get_for_person(person=person, pickup_id=pickup_id)
    if pickup is None:
        raise Http404
    if pickup.is_handed_over:
        messages.info(request, _("You have already collected this document."))
        return HttpResponseRedirect(reverse("appointments:mine"))
    return _booking_page(
        request, person=person, pickup=pickup, done_url=reverse("appointments:mine")
    )


@citizen_required
def reschedule(request: HttpRequest, public_id: str) -> HttpResponse:
    person = _own_person(request)
    appointment = selectors.appointment_get_for_person(person=person, public_id=public_id)
    if appointment is None:
        raise Http404
    if not appointment.is_active:
        messages.info(request, _("This appointment was already cancelled or has taken place."))
        return HttpResponseRedirect(reverse("appointments:mine"))
    return _booking_page(
        request, person=person, replace=appointment, done_url=reverse("appointments:mine")
    )


@citizen_required
@require_POST
def cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    person = _own_person(request)
    appointment = selectors.appointment_get_for_person(person=person, public_id=public_id)
    if appointment is None:
        raise Http404
    try:
        services.appointment_cancel(appointment=appointment, actor=request.user, request=request)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your appointment was cancelled."))
    return HttpResponseRedirect(reverse("appointments:mine"))


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    appointments = list(selectors.appointment_list_for_person(person=person))
    now = centres_now()
    upcoming = [a for a in appointments if a.is_active and a.starts_at > now]
    past = [a for a in appointments if a not in upcoming]
    labels = {code: selectors.service_name(code) for code in {a.service_code for a in upcoming}}
    return render(
        request,
        "appointments/mine.html",
        {
            "upcoming": [(a, labels[a.service_code]) for a in upcoming],
            "past": past[:20],
            "pickups": selectors.pickups_waiting_for_person(person=person),
            "booked_pickups": {a.pickup_id for a in upcoming if a.pickup_id},
        },
    )


# --- A 142 operator books for the caller --------------------------------------------------------


@staff_required
def call_book(request: HttpRequest, person_id: int) -> HttpResponse:
    """Book for the caller of the operator's open call (the call is the operator's grant)."""
    if Role.CALL_CENTRE_OPERATOR not in actor_roles(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)  # noqa: S101 — staff_required
    call = call_current(operator=request.user)
    if call is None or call.caller_id != person_id:
        messages.error(
            request,
            _("Your call with this person has ended. Identify the caller again to book for them."),
        )
        # The operator's home, where the next call is answered.
        return HttpResponseRedirect(reverse("accounts:staff_home"))
    person = person_get_for_actor(
        actor=request.user, person_id=person_id, purpose="142 appointment", request=request
    )
    return _booking_page(
        request,
        person=person,
        call_reference=call.reference,
        # Back to the caller's record, which lists the new appointment among theirs.
        done_url=reverse("accounts:staff_person", args=[person_id]),
    )


# --- Staff at the centre ------------------------------------------------------------------------


def _staff_centre_or_none(request: HttpRequest) -> ServiceCentre | None:
    """The centre of a case worker or centre head; None when their profile names none."""
    roles = actor_roles(request.user)
    if not roles & {Role.CASE_WORKER, Role.CENTRE_HEAD}:
        raise PermissionDenied
    profile = staff_profile_get(user=request.user)
    return profile.centre if profile is not None else None


def _staff_centre(request: HttpRequest) -> ServiceCentre:
    centre = _staff_centre_or_none(request)
    if centre is None:
        raise PermissionDenied
    return centre


@staff_required
def day_list(request: HttpRequest) -> HttpResponse:
    centre = _staff_centre_or_none(request)
    if centre is None:
        return render(request, "appointments/day_list.html", {"centre": None})
    today = timezone.localtime(centres_now()).date()
    day = _parse_day(str(request.GET.get("day", ""))) or today
    by_counter = selectors.appointment_day_list(centre=centre, day=day)
    audit_record(
        action="appointments.day_list",
        actor=request.user,
        purpose=f"appointments of {centre.code} on {day.isoformat()}",
        request=request,
        details={"centre": centre.code, "day": day.isoformat()},
    )
    return render(
        request,
        "appointments/day_list.html",
        {
            "centre": centre,
            "day": day,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "by_counter": sorted(by_counter.items()),
            "pickups": list(selectors.pickups_waiting_at(centre=centre)[:50]),
        },
    )


@staff_required
@require_POST
def attendance(request: HttpRequest, public_id: str) -> HttpResponse:
    centre = _staff_centre(request)
    appointment = Appointment.objects.filter(public_id=public_id, slot__centre=centre).first()
    if appointment is None:
        raise Http404
    try:
        services.appointment_attendance_record(
            appointment=appointment,
            attended=request.POST.get("attended") == "yes",
            actor=request.user,
            request=request,
        )
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Recorded."))
    day = timezone.localtime(appointment.starts_at).date().isoformat()
    return HttpResponseRedirect(f"{reverse('appointments:day_list')}?day={day}")


@staff_required
def handover(request: HttpRequest, pickup_id: int) -> HttpResponse:
    centre = _staff_centre(request)
    pickup = selectors.pickup_get_at(centre=centre, pickup_id=pickup_id)
    if pickup is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.pickup_hand_over(
                pickup=pickup,
                document_number=str(request.POST.get("document_number", "")),
                fin=str(request.POST.get("fin", "")),
                actor=request.user,
                request=request,
            )
        except (HandoverRefused, BookingError) as refused:
            error = str(refused)
        else:
            messages.success(request, _("The handover is recorded."))
            return HttpResponseRedirect(reverse("appointments:day_list"))
    return render(
        request,
        "appointments/handover.html",
        {
            "pickup": pickup,
            "error": error,
            "document_number": request.POST.get("document_number", ""),
            "fin": request.POST.get("fin", ""),
        },
        status=400 if error else 200,
    )
