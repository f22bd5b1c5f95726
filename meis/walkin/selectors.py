"""Reads of the walk-in queue: a counter through the staff check, the public display, waits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NoReturn

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from meis.accounts.access import actor_roles, role_codes, staff_institution
from meis.accounts.roles import Role
from meis.accounts.selectors import staff_profile_get
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.centres.models import ServiceCentre
from meis.walkin.models import Counter, ServiceGroup, Ticket, TicketStatus

COUNTER_ROLES = frozenset({Role.CASE_WORKER, Role.CENTRE_HEAD})
DISPLAY_LINES = 6


def _refuse(actor: User | AnonymousUser, request: HttpRequest | None, what: str) -> NoReturn:
    audit_record(
        action=AuditAction.ACCESS_REFUSED,
        actor=actor,
        actor_role=role_codes(actor_roles(actor)),
        actor_institution=staff_institution(actor),
        request=request,
        details={"page": what},
    )
    raise PermissionDenied


def queue_centre_for_actor(
    *, actor: User | AnonymousUser, request: HttpRequest | None
) -> ServiceCentre | None:
    """The centre whose counters the actor works at (None for a case worker not placed at a
    centre); PermissionDenied, audited, for every other role."""
    if not actor_roles(actor) & COUNTER_ROLES:
        _refuse(actor, request, "walk-in queue")
    profile = staff_profile_get(user=actor)
    return profile.centre if profile is not None else None


def counter_get_for_actor(
    *, actor: User | AnonymousUser, counter_id: int, request: HttpRequest | None
) -> Counter:
    centre = queue_centre_for_actor(actor=actor, request=request)
    counter = Counter.objects.filter(pk=counter_id, centre=centre).first() if centre else None
    if counter is None:
        _refuse(actor, request, f"counter {counter_id}")
    return counter


def counters_of(centre: ServiceCentre) -> list[Counter]:
    return list(Counter.objects.filter(centre=centre).prefetch_related("groups"))


def groups_of(centre: ServiceCentre) -> list[ServiceGroup]:
    return list(ServiceGroup.objects.filter(centre=centre, is_active=True))


def counter_current(counter: Counter) -> Ticket | None:
    return Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED).first()


def waiting_count(*, groups: list[ServiceGroup], on: date) -> int:
    return Ticket.objects.filter(
        group__in=groups, issued_on=on, status=TicketStatus.WAITING
    ).count()


@dataclass(frozen=True)
class DisplayLine:
    code: str
    counter_number: int
    is_current: bool


@dataclass(frozen=True)
class Display:
    lines: list[DisplayLine]
    waiting: list[tuple[ServiceGroup, int]]


def display_for(*, centre: ServiceCentre, now: datetime | None = None) -> Display:
    """What the hall's screen shows: the latest calls (the newest first), who waits per group."""
    day = timezone.localdate(now or timezone.now())
    calls = (
        Ticket.objects.filter(group__centre=centre, issued_on=day, called_at__isnull=False)
        .select_related("counter")
        .order_by("-called_at", "-id")[:DISPLAY_LINES]
    )
    groups = groups_of(centre)
    counts = dict(
        Ticket.objects.filter(group__in=groups, issued_on=day, status=TicketStatus.WAITING)
        .values_list("group_id")
        .annotate(count=Count("id"))
        .values_list("group_id", "count")
    )
    return Display(
        lines=[
            DisplayLine(
                code=ticket.code,
                counter_number=ticket.counter.number if ticket.counter else 0,
                is_current=ticket.status == TicketStatus.CALLED,
            )
            for ticket in calls
        ],
        waiting=[(group, counts.get(group.pk, 0)) for group in groups],
    )


@dataclass(frozen=True)
class GroupWaits:
    group: ServiceGroup
    issued: int
    served: int
    no_show: int
    average_wait: timedelta | None
    longest_wait: timedelta | None

    @property
    def average_wait_minutes(self) -> int | None:
        return round(self.average_wait.total_seconds() / 60) if self.average_wait else None

    @property
    def longest_wait_minutes(self) -> int | None:
        return round(self.longest_wait.total_seconds() / 60) if self.longest_wait else None


def waits_of_day(*, centre: ServiceCentre, on: date) -> list[GroupWaits]:
    """Per group on a day: tickets given, served, not shown, the average and longest wait
    (from the ticket to the call) — the statistics the kept times are for."""
    rows = []
    for group in ServiceGroup.objects.filter(centre=centre):
        tickets = Ticket.objects.filter(group=group, issued_on=on)
        waits = [
            called - issued
            for issued, called in tickets.filter(called_at__isnull=False).values_list(
                "issued_at", "called_at"
            )
            if called is not None
        ]
        totals = tickets.aggregate(
            issued=Count("id"),
            served=Count("id", filter=Q(status=TicketStatus.SERVED)),
            no_show=Count("id", filter=Q(status=TicketStatus.NO_SHOW)),
        )
        rows.append(
            GroupWaits(
                group=group,
                issued=totals["issued"],
                served=totals["served"],
                no_show=totals["no_show"],
                average_wait=sum(waits, timedelta()) / len(waits) if waits else None,
                longest_wait=max(waits) if waits else None,
            )
        )
    return rows
