"""Reads of the appointment book: free times, a person's appointments and pickups, a counter's
day. Free times are computed from the centre's hours (meis.centres) and the seats taken."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from meis.appointments.models import SEAT_HOLDING, Appointment, AppointmentStatus, Pickup
from meis.catalog.models import EService
from meis.catalog.selectors import eservice_get
from meis.centres.models import ServiceCentre
from meis.centres.selectors import centre_hours_on, centre_offers
from meis.registry.models import Person

DAYS_AHEAD = 21  # how far ahead a citizen may book


def service_name(code: str) -> str:
    """The e-service's name in the active language ("" → the code, for a retired service)."""
    try:
        return str(eservice_get(code=code).name)
    except EService.DoesNotExist:
        return code


def slot_starts_on(*, centre: ServiceCentre, day: datetime.date) -> list[datetime.datetime]:
    """Every appointment time of the centre on `day` (none when it is closed)."""
    hours = centre_hours_on(centre=centre, day=day)
    if hours is None:
        return []
    step = datetime.timedelta(minutes=centre.slot_minutes)
    moment = timezone.make_aware(datetime.datetime.combine(day, hours.opens_at))
    closes = timezone.make_aware(datetime.datetime.combine(day, hours.closes_at))
    times = []
    while moment + step <= closes:
        times.append(moment)
        moment += step
    return times


@dataclass(frozen=True)
class TimeOption:
    starts_at: datetime.datetime
    free: int

    @property
    def value(self) -> str:
        return self.starts_at.isoformat()


def appointment_times(
    *, centre: ServiceCentre, day: datetime.date, after: datetime.datetime
) -> list[TimeOption]:
    """The centre's times on `day` after `after`, each with the number of seats still free."""
    times = [t for t in slot_starts_on(centre=centre, day=day) if t > after]
    if not times:
        return []
    taken = dict(
        Appointment.objects.filter(
            slot__centre=centre,
            starts_at__gte=times[0],
            starts_at__lte=times[-1],
            status__in=SEAT_HOLDING,
        )
        .values_list("starts_at")
        .annotate(n=Count("id"))
        .values_list("starts_at", "n")
    )
    seats = centre.counters * centre.slot_capacity
    return [TimeOption(t, max(seats - taken.get(t, 0), 0)) for t in times]


def bookable_days(
    *, centre: ServiceCentre, service_code: str, after: datetime.datetime
) -> list[datetime.date]:
    """The days within `DAYS_AHEAD` on which the centre receives citizens for the service;
    today only while one of its times is still ahead (after closing, a visitor offered today
    would find no time to choose)."""
    first = timezone.localtime(after).date()
    days = (first + datetime.timedelta(days=n) for n in range(DAYS_AHEAD))
    return [
        day
        for day in days
        if centre_hours_on(centre=centre, day=day) is not None
        and centre_offers(centre=centre, service_code=service_code, day=day)
        and (day != first or any(t > after for t in slot_starts_on(centre=centre, day=day)))
    ]


def appointment_list_for_person(*, person: Person) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(person=person)
        .select_related("slot__centre", "pickup")
        .order_by("-starts_at")
    )


def appointment_get_for_person(*, person: Person, public_id: str) -> Appointment | None:
    return (
        Appointment.objects.filter(person=person, public_id=public_id)
        .select_related("slot__centre", "pickup")
        .first()
    )


def pickups_waiting_for_person(*, person: Person) -> list[Pickup]:
    return list(
        Pickup.objects.filter(person=person, handed_over_at__isnull=True)
        .select_related("centre", "case")
        .order_by("ready_at")
    )


def pickup_get_for_person(*, person: Person, pickup_id: int) -> Pickup | None:
    return Pickup.objects.filter(person=person, pk=pickup_id).select_related("centre").first()


def appointment_day_list(
    *, centre: ServiceCentre, day: datetime.date
) -> dict[int, list[Appointment]]:
    """The day's appointments at the centre, by counter, in time order (cancelled left out)."""
    rows = (
        Appointment.objects.filter(
            slot__centre=centre, starts_at__date=day, status__in=SEAT_HOLDING
        )
        .select_related("slot", "person", "pickup")
        .order_by("slot__counter", "starts_at", "seat")
    )
    by_counter: dict[int, list[Appointment]] = {n: [] for n in range(1, centre.counters + 1)}
    for row in rows:
        by_counter.setdefault(row.slot.counter, []).append(row)
    return by_counter


def pickups_waiting_at(*, centre: ServiceCentre) -> QuerySet[Pickup]:
    return (
        Pickup.objects.filter(centre=centre, handed_over_at__isnull=True)
        .select_related("person", "case")
        .order_by("ready_at")
    )


def pickup_get_at(*, centre: ServiceCentre, pickup_id: int) -> Pickup | None:
    return (
        Pickup.objects.filter(centre=centre, pk=pickup_id).select_related("person", "case").first()
    )


def is_active(appointment: Appointment) -> bool:
    return appointment.status == AppointmentStatus.BOOKED
