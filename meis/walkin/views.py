"""Pages of the walk-in queue: the kiosk and the hall's display (public), a counter (staff)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meis.accounts.decorators import staff_required
from meis.centres.models import ServiceCentre
from meis.walkin import selectors
from meis.walkin.models import ServiceGroup, Ticket, TicketStatus
from meis.walkin.services import (
    QueueActionError,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
)


def _centre(code: str) -> ServiceCentre:
    centre = ServiceCentre.objects.filter(code=code).first()
    if centre is None:
        raise Http404
    return centre


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, centre_code: str) -> HttpResponse:
    """Take a ticket: one button per service group."""
    centre = _centre(centre_code)
    groups = selectors.groups_of(centre)
    error = ""
    if request.method == "POST":
        group = next((g for g in groups if g.letter == request.POST.get("group", "")), None)
        if group is None:
            error = _("Choose the service you came for.")
        else:
            try:
                ticket = ticket_issue(group=group)
            except QueueActionError as refusal:
                error = str(refusal)
            else:
                return redirect("walkin:ticket", centre_code=centre.code, ticket_id=ticket.pk)
    return render(
        request,
        "walkin/kiosk.html",
        {"centre": centre, "groups": groups, "error": error},
        status=400 if error else 200,
    )


def ticket_page(request: HttpRequest, centre_code: str, ticket_id: int) -> HttpResponse:
    centre = _centre(centre_code)
    ticket = Ticket.objects.select_related("group").filter(pk=ticket_id).first()
    if ticket is None or ticket.group.centre_id != centre.pk:
        raise Http404
    ahead = Ticket.objects.filter(
        group=ticket.group,
        issued_on=ticket.issued_on,
        status=TicketStatus.WAITING,
        issued_at__lt=ticket.issued_at,
    ).count()
    return render(
        request, "walkin/ticket.html", {"centre": centre, "ticket": ticket, "ahead": ahead}
    )


def display(request: HttpRequest, centre_code: str) -> HttpResponse:
    """The hall's screen; it fetches `display_now` every few seconds by itself."""
    centre = _centre(centre_code)
    return render(
        request,
        "walkin/display.html",
        {"centre": centre, "display": selectors.display_for(centre=centre)},
    )


def display_now(request: HttpRequest, centre_code: str) -> HttpResponse:
    centre = _centre(centre_code)
    response = render(
        request,
        "walkin/_display_now.html",
        {"centre": centre, "display": selectors.display_for(centre=centre)},
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def counters(request: HttpRequest) -> HttpResponse:
    centre = selectors.queue_centre_for_actor(actor=request.user, request=request)
    return render(
        request,
        "walkin/counters.html",
        {
            "centre": centre,
            "counters": selectors.counters_of(centre) if centre else [],
            "waits": selectors.waits_of_day(centre=centre, on=timezone.localdate())
            if centre
            else [],
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def counter_page(request: HttpRequest, counter_id: int) -> HttpResponse:
    counter = selectors.counter_get_for_actor(
        actor=request.user, counter_id=counter_id, request=request
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "call":
                called = ticket_call_next(counter=counter, actor=request.user)
                if called is None:
                    messages.info(request, _("Nobody is waiting for this counter."))
            elif action in (TicketStatus.SERVED, TicketStatus.NO_SHOW):
                ticket_finish(counter=counter, outcome=action)
            else:
                raise QueueActionError(_("Choose what to do with the ticket."))
        except QueueActionError as refusal:
            messages.error(request, str(refusal))
        return redirect("walkin_staff:counter", counter_id=counter.pk)
    groups: list[ServiceGroup] = list(counter.groups.filter(is_active=True))
    return render(
        request,
        "walkin/counter.html",
        {
            "counter": counter,
            "groups": groups,
            "current": selectors.counter_current(counter),
            "waiting": selectors.waiting_count(groups=groups, on=timezone.localdate()),
        },
    )
