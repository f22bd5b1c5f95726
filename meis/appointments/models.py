"""Appointment book of the DOST centres and pickups of documents by prior notice."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Slot(models.Model):
    """Qəbul vaxtı: one counter's appointment time at a centre, with room for `capacity` people.

    Written the first time someone books that time (the free times are computed from the
    centre's hours, not stored). Booking locks this row (`select_for_update`), and the seats'
    unique constraint below makes a double booking impossible even without the lock.
    """

    centre = models.ForeignKey("centres.ServiceCentre", on_delete=models.PROTECT, related_name="+")
    counter = models.PositiveSmallIntegerField(_("counter"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("appointment time")
        verbose_name_plural = _("appointment times")
        ordering = ["starts_at", "counter"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "counter", "starts_at"], name="slot_one_per_counter_and_time"
            ),
            models.CheckConstraint(
                name="slot_capacity_positive", condition=models.Q(capacity__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id}/{self.counter} {self.starts_at:%Y-%m-%d %H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


# Statuses that hold a seat: a cancelled appointment frees it.
SEAT_HOLDING = [AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW]


class BookingChannel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    CALL_CENTRE = "call_centre", _("Call centre 142")


class Appointment(models.Model):
    """Növbə: a person's seat in a slot, for one e-service."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    seat = models.PositiveSmallIntegerField(_("seat"))
    # Copied from the slot so that one constraint forbids a person two appointments at once.
    starts_at = models.DateTimeField(_("starts at"))
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    service_code = models.SlugField(_("e-service"), max_length=64)
    pickup = models.ForeignKey(
        "Pickup", on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AppointmentStatus.choices, default="booked"
    )
    channel = models.CharField(_("booked through"), max_length=16, choices=BookingChannel.choices)
    call_reference = models.CharField(_("142 call"), max_length=32, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(_("booked at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "slot__counter", "seat"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "seat"],
                condition=models.Q(status__in=SEAT_HOLDING),
                name="appointment_one_person_per_seat",
            ),
            models.UniqueConstraint(
                fields=["person", "starts_at"],
                condition=models.Q(status__in=SEAT_HOLDING),
                name="appointment_one_at_a_time_per_person",
            ),
            models.CheckConstraint(
                name="appointment_seat_positive", condition=models.Q(seat__gte=1)
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="appointment_due")]

    def __str__(self) -> str:
        return f"{self.public_id} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status == AppointmentStatus.BOOKED


class Pickup(models.Model):
    """Sənədin təhvili: a decided case whose result the person collects at a centre.

    Opened when a decision records that its result is handed over in person
    (`meis.cases.models.CaseDecision.is_handover_in_person`); the person is told it is ready,
    books a pickup time, and the officer records the handover after checking their identity
    document and FİN.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey("centres.ServiceCentre", on_delete=models.PROTECT, related_name="+")
    item_az = models.CharField(_("item (Azerbaijani)"), max_length=255)
    item_en = models.CharField(_("item (English)"), max_length=255)
    item_ru = models.CharField(_("item (Russian)"), max_length=255)
    ready_at = models.DateTimeField(_("ready since"))
    unclaimed_reminded_at = models.DateTimeField(_("reminded unclaimed at"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The identity document shown at the desk (its number only; the FİN is the person's).
    handover_document = models.CharField(_("document shown"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("pickup")
        verbose_name_plural = _("pickups")
        ordering = ["-ready_at"]
        indexes = [models.Index(fields=["handed_over_at", "ready_at"], name="pickup_unclaimed")]

    def __str__(self) -> str:
        return f"pickup {self.case_id}"

    @property
    def item(self) -> str:
        from django.utils.translation import get_language

        language = (get_language() or "az")[:2]
        return str(getattr(self, f"item_{language}", "") or self.item_az)

    @property
    def is_handed_over(self) -> bool:
        return self.handed_over_at is not None
