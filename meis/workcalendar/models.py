"""The national calendar's decreed exceptions, and service centres' own closures."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    TRANSFERRED_REST_DAY = "transferred_rest_day", _("Rest day transferred from another day")
    TRANSFERRED_WORKING_DAY = (
        "transferred_working_day",
        _("Working day transferred from a rest day"),
    )
    EXTRA_NON_WORKING = "extra_non_working", _("Extra non-working day")


class TranslatedReason(models.Model):
    reason_az = models.CharField(_("reason (Azerbaijani)"), max_length=255)
    reason_en = models.CharField(_("reason (English)"), max_length=255)
    reason_ru = models.CharField(_("reason (Russian)"), max_length=255)

    class Meta:
        abstract = True

    @property
    def reason(self) -> str:
        """The reason in the active language (Azerbaijani when there is none in that language)."""
        language = (get_language() or "az")[:2]
        return str(getattr(self, f"reason_{language}", "") or self.reason_az)


class CalendarDay(TranslatedReason):
    """Təqvim istisnası: one day whose status differs from, or confirms, the package calendar.

    Cabinet decisions (Labour Code Art. 105.4) fix Novruz, Ramazan and Qurban and swap working
    and rest days; each such day is a row here, with its legal basis. A basis starting with
    "unconfirmed" marks a date taken from memory (docs/domain.md [M]) that still needs a source.
    """

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("is a working day"))
    kind = models.CharField(_("kind"), max_length=32, choices=DayKind.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("national calendar day")
        verbose_name_plural = _("national calendar days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                name="calendarday_kind_matches_is_working",
                condition=(
                    models.Q(kind=DayKind.TRANSFERRED_WORKING_DAY, is_working=True)
                    | (~models.Q(kind=DayKind.TRANSFERRED_WORKING_DAY) & models.Q(is_working=False))
                ),
                violation_error_message=_(
                    "Only a transferred working day is a working day; every other kind is a "
                    "non-working day."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        from meis.workcalendar.selectors import national_calendar_invalidate

        national_calendar_invalidate()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        from meis.workcalendar.selectors import national_calendar_invalidate

        national_calendar_invalidate()
        return result

    @property
    def is_unconfirmed(self) -> bool:
        return self.legal_basis.lower().startswith("unconfirmed")


class CentreClosure(TranslatedReason):
    """Mərkəzin bağlı olduğu günlər: a service centre closed on days the nation works.

    A centre's own closure never stops a legal clock (docs/domain.md, decisions): the deadline runs on
    the national calendar; this only tells citizens and the appointment book that the centre's
    doors are shut.
    """

    centre = models.ForeignKey(
        "centres.ServiceCentre",
        verbose_name=_("service centre"),
        on_delete=models.CASCADE,
        related_name="closures",
    )
    starts_on = models.DateField(_("first closed day"))
    ends_on = models.DateField(_("last closed day"))

    class Meta:
        verbose_name = _("service centre closure")
        verbose_name_plural = _("service centre closures")
        ordering = ["starts_on", "centre"]
        indexes = [
            models.Index(fields=["centre", "starts_on", "ends_on"], name="closure_centre_dates")
        ]
        constraints = [
            models.CheckConstraint(
                name="centreclosure_ends_after_start",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The last closed day cannot be before the first."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre_id}: {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"
