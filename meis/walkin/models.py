"""Walk-in queue (növbə): service groups, counters and tickets of a DOST centre."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ServiceGroup(models.Model):
    """Xidmət qrupu: the services behind one letter of the ticket (A: pensions and benefits…)."""

    centre = models.ForeignKey(
        "centres.ServiceCentre",
        verbose_name=_("service centre"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    letter = models.CharField(_("letter"), max_length=1)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    is_active = models.BooleanField(_("tickets issued"), default=True)

    class Meta:
        verbose_name = _("service group")
        verbose_name_plural = _("service groups")
        ordering = ["centre", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "letter"], name="walkin_group_letter"),
            models.CheckConstraint(
                condition=Q(letter__regex=r"^[A-Z]$"), name="walkin_group_letter_is_a_capital"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter} — {self.name}"

    @property
    def name(self) -> str:
        language = (get_language() or "az")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_az)


class Counter(models.Model):
    """Kassa / masa: a desk that calls tickets of the groups it serves."""

    centre = models.ForeignKey(
        "centres.ServiceCentre",
        verbose_name=_("service centre"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    groups = models.ManyToManyField(ServiceGroup, verbose_name=_("groups served"))

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="walkin_counter_number")
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} #{self.number}"


class TicketSequence(models.Model):
    """The last ticket number of a group on a day (one row locked per issue)."""

    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="+")
    issued_on = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "issued_on"], name="walkin_one_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.issued_on}: {self.last}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVED = "served", _("Served")
    NO_SHOW = "no_show", _("Did not come")


class Ticket(models.Model):
    """Növbə talonu: one visitor's place in a group's queue, and how long they waited."""

    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("service group"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("ticket"), max_length=8)
    status = models.CharField(
        _("status"), max_length=8, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    issued_at = models.DateTimeField(_("issued at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("marked not shown at"), null=True, blank=True)
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("counter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["issued_at", "id"]
        indexes = [
            models.Index(fields=["group", "status", "issued_at"], name="walkin_waiting"),
            models.Index(fields=["counter", "status"], name="walkin_at_counter"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "issued_on", "number"], name="walkin_one_ticket_per_number"
            ),
            # A counter has at most one ticket called and not yet finished.
            models.UniqueConstraint(
                fields=["counter"],
                condition=Q(status="called"),
                name="walkin_one_called_ticket_per_counter",
            ),
            models.CheckConstraint(
                condition=Q(status="waiting") | Q(called_at__isnull=False, counter__isnull=False),
                name="walkin_called_has_counter_and_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.issued_on})"
