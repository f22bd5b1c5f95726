"""Writes of the appointment book: book, cancel, reschedule, attendance, pickups, reminders.

Every write is one transaction with its audit event; every message goes through the outbox in
the same transaction (meis.notifications). A slot's seats are taken under a row lock on the slot
(`select_for_update`), and the partial unique constraints on `Appointment` make a doubled seat or
a person's two appointments at once impossible even if the lock were bypassed (ADR 0015).
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from meis.accounts.access import Actor, actor_roles, role_codes, staff_institution
from meis.accounts.selectors import staff_profile_get
from meis.appointments.models import (
    SEAT_HOLDING,
    Appointment,
    AppointmentStatus,
    BookingChannel,
    Pickup,
    Slot,
)
from meis.appointments.parameters import PICKUP_UNCLAIMED_REMINDER_DAYS, value_on
from meis.appointments.selectors import service_name, slot_starts_on
from meis.audit.services import audit_record
from meis.cases.models import CaseDecision, CaseStatus, DecisionState
from meis.centres.clock import centres_now
from meis.centres.models import ServiceCentre
from meis.centres.selectors import (
    centre_closure_on,
    centre_hours_on,
    centre_next_opening,
    centre_offers,
)
from meis.core.identifiers import InvalidIdentifier, normalize_document_number
from meis.notifications.events import EventCode
from meis.notifications.models import Channel
from meis.notifications.services import notification_queue
from meis.registry.models import Person
from meis.registry.selectors import person_get_by_fin_and_document
from meis.usage.models import UsageKind
from meis.usage.services import usage_record

PICKUP_SERVICE = "pickup-appointment"


class BookingError(Exception):
    """A booking, cancellation or attendance that cannot be done; the message says why and what
    to do next, in the active language. Nothing was written."""


class HandoverRefused(Exception):
    """The person at the desk is not the one the document is for (or it was handed over)."""


def _day(value: datetime.date) -> str:
    return dateformat.format(value, "j E Y")


# --- Booking ----------------------------------------------------------------------------------


def _bookable_check(
    *, centre: ServiceCentre, service_code: str, starts_at: datetime.datetime
) -> None:
    if starts_at <= centres_now():
        raise BookingError(_("That time has already passed. Choose a later time."))
    day = timezone.localtime(starts_at).date()
    if centre_hours_on(centre=centre, day=day) is None:
        closure = centre_closure_on(centre=centre, day=day)
        if closure is not None:
            raise BookingError(
                _("%(centre)s is closed on %(day)s (%(reason)s). Choose another day.")
                % {"centre": centre.name, "day": _day(day), "reason": closure.reason}
            )
        raise BookingError(
            _("%(centre)s does not receive citizens on %(day)s. Choose another day.")
            % {"centre": centre.name, "day": _day(day)}
        )
    if service_code not in centre.services:
        raise BookingError(
            _("%(centre)s does not offer “%(service)s”. Choose another centre.")
            % {"centre": centre.name, "service": service_name(service_code)}
        )
    if not centre_offers(centre=centre, service_code=service_code, day=day):
        raise BookingError(
            _(
                "On %(day)s %(centre)s receives citizens only for some services, and “%(service)s”"
                " is not one of them. Choose another day or call 142."
            )
            % {"centre": centre.name, "day": _day(day), "service": service_name(service_code)}
        )
    if starts_at not in slot_starts_on(centre=centre, day=day):
        raise BookingError(
            _("There is no appointment at that time. Choose one of the times shown.")
        )


def _seat_take(
    *,
    centre: ServiceCentre,
    starts_at: datetime.datetime,
    person: Person,
    fields: dict[str, object],
) -> Appointment:
    """Take the first free seat at `starts_at` on any counter (inside the caller's transaction)."""
    ends_at = starts_at + datetime.timedelta(minutes=centre.slot_minutes)
    for counter in range(1, centre.counters + 1):
        slot, _created = Slot.objects.select_for_update().get_or_create(
            centre=centre,
            counter=counter,
            starts_at=starts_at,
            defaults={"ends_at": ends_at, "capacity": centre.slot_capacity},
        )
        taken = set(
            Appointment.objects.filter(slot=slot, status__in=SEAT_HOLDING).values_list(
                "seat", flat=True
            )
        )
        for seat in range(1, slot.capacity + 1):
            if seat in taken:
                continue
            try:
                with transaction.atomic():
                    return Appointment.objects.create(
                        slot=slot, seat=seat, starts_at=starts_at, person=person, **fields
                    )
            except IntegrityError:
                if _holds_time(person, starts_at):
                    raise BookingError(_("You already have an appointment at that time.")) from None
                break  # the seat went to someone else: this counter is full
    raise BookingError(_("That time has just been taken by someone else. Choose another time."))


def _holds_time(person: Person, starts_at: datetime.datetime) -> bool:
    return Appointment.objects.filter(
        person=person, starts_at=starts_at, status__in=SEAT_HOLDING
    ).exists()


def _book(
    *,
    person: Person,
    centre: ServiceCentre,
    service_code: str,
    starts_at: datetime.datetime,
    actor: Actor,
    channel: str,
    pickup: Pickup | None,
    call_reference: str,
) -> Appointment:
    _bookable_check(centre=centre, service_code=service_code, starts_at=starts_at)
    if pickup is not None:
        if pickup.person_id != person.pk or pickup.is_handed_over:
            raise BookingError(_("This document is not waiting for you to collect it."))
        if centre.pk != pickup.centre_id or service_code != PICKUP_SERVICE:
            raise BookingError(_("Collect the document at the centre where it is kept."))
    if _holds_time(person, starts_at):
        raise BookingError(_("You already have an appointment at that time."))
    return _seat_take(
        centre=centre,
        starts_at=starts_at,
        person=person,
        fields={
            "service_code": service_code,
            "pickup": pickup,
            "channel": channel,
            "call_reference": call_reference,
            "booked_by": actor,
            "booked_at": timezone.now(),
        },
    )


def _audit(
    action: str,
    *,
    actor: Actor,
    person: Person,
    obj: object,
    request: HttpRequest | None,
    purpose: str = "",
    **details: object,
) -> None:
    roles = actor_roles(actor)
    audit_record(
        action=action,
        actor=actor,
        actor_role=role_codes(roles),
        actor_institution=staff_institution(actor),
        person=person,
        obj=obj,
        purpose=purpose,
        request=request,
        details={k: str(v) for k, v in details.items()},
    )


def appointment_book(
    *,
    person: Person,
    centre: ServiceCentre,
    service_code: str,
    starts_at: datetime.datetime,
    actor: Actor,
    channel: str = BookingChannel.PORTAL,
    pickup: Pickup | None = None,
    call_reference: str = "",
    request: HttpRequest | None = None,
) -> Appointment:
    """Book `person` a seat at `starts_at` at `centre` for `service_code` (BookingError if the
    centre is closed, the time past or full, the service not received there that day)."""
    with transaction.atomic():
        appointment = _book(
            person=person,
            centre=centre,
            service_code=service_code,
            starts_at=starts_at,
            actor=actor,
            channel=channel,
            pickup=pickup,
            call_reference=call_reference,
        )
        _audit(
            "appointment.book",
            actor=actor,
            person=person,
            obj=appointment,
            request=request,
            purpose=f"142 call {call_reference}" if call_reference else "",
            centre=centre.code,
            starts_at=starts_at.isoformat(),
            service=service_code,
        )
        usage_record(
            kind=UsageKind.APPOINTMENT,
            occurred_at=appointment.booked_at,
            service_code=service_code,
            channel=channel,
            region=centre.region,
            centre_code=centre.code,
            source=f"appointment:{appointment.pk}",
        )
    return appointment


def _locked_active(appointment: Appointment) -> Appointment:
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status != AppointmentStatus.BOOKED:
        raise BookingError(_("This appointment was already cancelled or has taken place."))
    if locked.starts_at <= centres_now():
        raise BookingError(
            _("This appointment has already begun; it can no longer be changed. Call 142.")
        )
    return locked


def appointment_cancel(
    *, appointment: Appointment, actor: Actor, request: HttpRequest | None = None
) -> Appointment:
    """Cancel a booked appointment before its time; its seat is free again at once."""
    with transaction.atomic():
        locked = _locked_active(appointment)
        locked.status = AppointmentStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        _audit("appointment.cancel", actor=actor, person=locked.person, obj=locked, request=request)
    return locked


def appointment_reschedule(
    *,
    appointment: Appointment,
    starts_at: datetime.datetime,
    actor: Actor,
    centre: ServiceCentre | None = None,
    request: HttpRequest | None = None,
) -> Appointment:
    """Move an appointment to another time (and centre): the new seat is taken first, so a
    failure keeps the old appointment as it was."""
    with transaction.atomic():
        old = _locked_active(appointment)
        new = _book(
            person=old.person,
            centre=centre or old.slot.centre,
            service_code=old.service_code,
            starts_at=starts_at,
            actor=actor,
            channel=old.channel,
            pickup=old.pickup,
            call_reference=old.call_reference,
        )
        old.status = AppointmentStatus.CANCELLED
        old.cancelled_at = timezone.now()
        old.replaced_by = new
        old.save(update_fields=["status", "cancelled_at", "replaced_by"])
        _audit(
            "appointment.reschedule",
            actor=actor,
            person=old.person,
            obj=new,
            request=request,
            replaces=old.public_id,
            starts_at=starts_at.isoformat(),
        )
    return new


def _require_centre_staff(actor: Actor, centre_id: int) -> None:
    profile = staff_profile_get(user=actor) if actor.is_authenticated else None
    if profile is None or profile.centre_id != centre_id:
        raise BookingError(_("Only the staff of this centre can do this."))


def appointment_attendance_record(
    *,
    appointment: Appointment,
    attended: bool,
    actor: Actor,
    request: HttpRequest | None = None,
) -> Appointment:
    """Record at the counter that the person came, or did not (a no-show)."""
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update().select_related("slot").get(pk=appointment.pk)
        )
        _require_centre_staff(actor, locked.slot.centre_id)
        if locked.status != AppointmentStatus.BOOKED:
            raise BookingError(_("This appointment was cancelled or is already recorded."))
        if locked.starts_at > centres_now():
            raise BookingError(_("Record attendance once the appointment time has come."))
        locked.status = AppointmentStatus.ATTENDED if attended else AppointmentStatus.NO_SHOW
        locked.marked_by = actor  # type: ignore[assignment]
        locked.marked_at = timezone.now()
        locked.save(update_fields=["status", "marked_by", "marked_at"])
        _audit(
            "appointment.attended" if attended else "appointment.no_show",
            actor=actor,
            person=locked.person,
            obj=locked,
            request=request,
        )
    return locked


# --- Pickups ----------------------------------------------------------------------------------


def _channels(person: Person) -> list[str]:
    channels = [Channel.PORTAL.value]
    if person.verified_phone:
        channels.append(Channel.SMS.value)
    if person.verified_email:
        channels.append(Channel.EMAIL.value)
    return channels


def _default_centre(decision: CaseDecision) -> ServiceCentre | None:
    if decision.case.centre_id is not None:
        return decision.case.centre
    return ServiceCentre.objects.order_by("code").first()


def pickups_open(*, limit: int = 500) -> int:
    """Open a pickup for every taken approval that is handed over in person and has none yet,
    and tell the person it is ready (outbox, same transaction). Safe to run twice."""
    decisions = (
        CaseDecision.objects.filter(
            is_handover_in_person=True,
            state=DecisionState.TAKEN,
            case__status=CaseStatus.APPROVED,
        )
        .exclude(case_id__in=Pickup.objects.values("case_id"))
        .select_related("case__person", "case__centre", "case__service_version")[:limit]
    )
    opened = 0
    for decision in decisions:
        centre = _default_centre(decision)
        if centre is None:
            continue
        names = decision.case.service_version.definition.get("name", {})
        try:
            with transaction.atomic():
                pickup = Pickup.objects.create(
                    case=decision.case,
                    person=decision.case.person,
                    centre=centre,
                    item_az=names.get("az", ""),
                    item_en=names.get("en", "") or names.get("az", ""),
                    item_ru=names.get("ru", "") or names.get("az", ""),
                    ready_at=timezone.now(),
                )
                _pickup_ready_notify(pickup)
        except IntegrityError:
            continue  # another run opened it
        opened += 1
    return opened


def _pickup_ready_notify(pickup: Pickup) -> None:
    person = pickup.person
    with translation.override(person.preferred_language or "az"):
        notification_queue(
            person=person,
            event=EventCode.PICKUP_READY,
            context={
                "name": person.first_name,
                "item": pickup.item,
                "case_reference": pickup.case.reference,
                "place": f"{pickup.centre.name}, {pickup.centre.address}",
                "portal_url": reverse("appointments:pickup_book", kwargs={"pickup_id": pickup.pk}),
            },
            channel_preferences=_channels(person),
            dedupe_key=f"pickup:{pickup.pk}:ready",
            case_reference=pickup.case.reference,
        )


def pickup_hand_over(
    *,
    pickup: Pickup,
    document_number: str,
    fin: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> Pickup:
    """Record the handover after the officer checked the identity document and FİN against the
    registry. A mismatch is refused and audited; nothing is recorded as handed over."""
    today = timezone.localtime(centres_now()).date()
    with transaction.atomic():
        locked = Pickup.objects.select_for_update().select_related("person").get(pk=pickup.pk)
        _require_centre_staff(actor, locked.centre_id)
        if locked.is_handed_over:
            raise HandoverRefused(_("This document was already handed over."))
        try:
            shown = person_get_by_fin_and_document(
                fin=fin.strip(), document_number=document_number.strip(), on=today
            )
        except InvalidIdentifier:
            shown = None
        matches = shown is not None and shown.pk == locked.person_id
        _audit(
            "pickup.handover" if matches else "pickup.handover_refused",
            actor=actor,
            person=locked.person,
            obj=locked,
            request=request,
        )
        if matches:
            locked.handed_over_at = timezone.now()
            locked.handed_over_by = actor  # type: ignore[assignment]
            locked.handover_document = normalize_document_number(document_number).number[:32]
            locked.save(update_fields=["handed_over_at", "handed_over_by", "handover_document"])
            locked.appointments.filter(
                status=AppointmentStatus.BOOKED, starts_at__date=today
            ).update(status=AppointmentStatus.ATTENDED, marked_by=actor, marked_at=timezone.now())
    if not matches:  # the refusal's audit event is kept; nothing else was written
        raise HandoverRefused(
            _(
                "The identity document and FİN do not match the person this document is for. "
                "Nothing was handed over: check the document and try again."
            )
        )
    return locked


# --- Reminders ----------------------------------------------------------------------------------


def _claim(queryset: object, pk: int, field: str, now: datetime.datetime) -> bool:
    """Mark one row as reminded unless another run did (a conditional UPDATE)."""
    return bool(queryset.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: now}))  # type: ignore[attr-defined]


def appointment_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """The day before: remind every booked appointment of tomorrow once (SMS, e-mail, inbox);
    a pickup appointment with the pickup-reminder template."""
    now = now or centres_now()
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    due = (
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED,
            reminded_at__isnull=True,
            starts_at__date=tomorrow,
        )
        .select_related("person", "slot__centre", "pickup")
        .order_by("starts_at", "pk")
    )
    sent = 0
    for appointment in due:
        with transaction.atomic():
            if not _claim(Appointment.objects, appointment.pk, "reminded_at", timezone.now()):
                continue
            _reminder_queue(appointment)
        sent += 1
    return sent


def _reminder_queue(appointment: Appointment) -> None:
    person, centre = appointment.person, appointment.slot.centre
    local = timezone.localtime(appointment.starts_at)
    with translation.override(person.preferred_language or "az"):
        place = f"{centre.name}, {centre.address}"
        portal_url = reverse("appointments:mine")
        if appointment.pickup is not None:
            event = EventCode.PICKUP_REMINDER
            context: dict[str, object] = {
                "name": person.first_name,
                "item": appointment.pickup.item,
                "place": place,
                "pickup_on": _day(local.date()),
                "pickup_time": local.strftime("%H:%M"),
            }
        else:
            event = EventCode.APPOINTMENT_REMINDER
            context = {
                "name": person.first_name,
                "service_name": service_name(appointment.service_code),
                "place": place,
                "appointment_on": _day(local.date()),
                "appointment_time": local.strftime("%H:%M"),
                "portal_url": portal_url,
            }
        notification_queue(
            person=person,
            event=event,
            context=context,
            channel_preferences=_channels(person),
            dedupe_key=f"appointment:{appointment.public_id}:reminder",
        )


def pickups_unclaimed_remind(*, now: datetime.datetime | None = None) -> int:
    """Remind once each ready document nobody collected or booked a time for within
    `PICKUP_UNCLAIMED_REMINDER_DAYS`, with the centre's next opening as the time to come."""
    now = now or centres_now()
    days = value_on(PICKUP_UNCLAIMED_REMINDER_DAYS, timezone.localtime(now).date())
    due = (
        Pickup.objects.filter(
            handed_over_at__isnull=True,
            unclaimed_reminded_at__isnull=True,
            ready_at__lte=now - datetime.timedelta(days=days),
        )
        .exclude(appointments__status=AppointmentStatus.BOOKED)
        .select_related("person", "centre", "case")
        .order_by("ready_at", "pk")
    )
    sent = 0
    for pickup in due:
        opening = centre_next_opening(centre=pickup.centre, after=now)
        if opening is None:
            continue
        hours = centre_hours_on(centre=pickup.centre, day=timezone.localtime(opening).date())
        with transaction.atomic():
            if not _claim(Pickup.objects, pickup.pk, "unclaimed_reminded_at", timezone.now()):
                continue
            person = pickup.person
            with translation.override(person.preferred_language or "az"):
                notification_queue(
                    person=person,
                    event=EventCode.PICKUP_REMINDER,
                    context={
                        "name": person.first_name,
                        "item": pickup.item,
                        "place": f"{pickup.centre.name}, {pickup.centre.address}",
                        "pickup_on": _day(timezone.localtime(opening).date()),
                        "pickup_time": (
                            f"{hours.opens_at:%H:%M}–{hours.closes_at:%H:%M}"
                            if hours
                            else f"{timezone.localtime(opening):%H:%M}"
                        ),
                    },
                    channel_preferences=_channels(person),
                    dedupe_key=f"pickup:{pickup.pk}:unclaimed",
                    case_reference=pickup.case.reference,
                )
        sent += 1
    return sent
