"""Service centres (DOST mərkəzləri): where citizens are received and where staff work.

A centre's data is kept as rows an administrator edits: its contacts, its opening hours per
weekday, the e-services it receives, and dated special regimes (reception restricted to listed
services, by appointment only). Closures (a centre shut on a day the nation works, or a named
holiday closure such as Novruz) are `meis.workcalendar.models.CentreClosure`, kept beside the
legal calendar and apart from it: a centre's closure never moves a legal deadline.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """The economic regions of the country where DOST centres stand (iqtisadi rayonlar)."""

    BAKU = "baku", _("Baku")
    ABSHERON = "absheron", _("Absheron")
    GANJA_DASHKASAN = "ganja-dashkasan", _("Ganja-Dashkasan")
    SHAKI_ZAGATALA = "shaki-zagatala", _("Shaki-Zagatala")
    LANKARAN_ASTARA = "lankaran-astara", _("Lankaran-Astara")
    CENTRAL_ARAN = "central-aran", _("Central Aran")
    MIL_MUGHAN = "mil-mughan", _("Mil-Mughan")
    GUBA_KHACHMAZ = "guba-khachmaz", _("Guba-Khachmaz")


def _in_language(obj: object, field: str) -> str:
    language = (get_language() or "az")[:2]
    return str(getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_az"))


class ServiceCentre(models.Model):
    """DOST mərkəzi: a service centre, named in the three languages of the portal."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    address = models.CharField(_("address"), max_length=255)
    region = models.CharField(
        _("region"), max_length=32, choices=Region.choices, default=Region.BAKU
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    phones = models.CharField(
        _("phones"), max_length=255, blank=True, help_text=_("Comma-separated, as printed.")
    )
    # E-service codes (meis.catalog) the centre receives; the catalogue is a peer app, so the
    # codes are checked where both are read (meis.appointments), not by a foreign key.
    services = models.JSONField(_("e-services received"), default=list, blank=True)
    counters = models.PositiveSmallIntegerField(_("counters taking appointments"), default=4)
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per appointment"), default=20)
    slot_capacity = models.PositiveSmallIntegerField(
        _("people per counter and appointment time"), default=1
    )

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="servicecentre_booking_sizes_positive",
                condition=models.Q(counters__gte=1, slot_minutes__gte=5, slot_capacity__gte=1),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Azerbaijani when the language has no name)."""
        return _in_language(self, "name")

    @property
    def phone_list(self) -> list[str]:
        return [p.strip() for p in self.phones.split(",") if p.strip()]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """İş saatları: when a centre receives citizens on one weekday (no row: closed that day)."""

    centre = models.ForeignKey(ServiceCentre, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["centre", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "weekday"], name="openinghours_one_per_day"),
            models.CheckConstraint(
                name="openinghours_closes_after_opening",
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                violation_error_message=_("A centre must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.get_weekday_display()} {self.opens_at}–{self.closes_at}"


class SpecialRegime(models.Model):
    """Xüsusi iş rejimi: dated days on which a centre receives citizens differently.

    March 2020 is the example: from 15 to 20 March the centres received only for the listed
    services and only by appointment. `services` empty means every service the centre offers.
    """

    centre = models.ForeignKey(ServiceCentre, on_delete=models.CASCADE, related_name="regimes")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    is_appointment_only = models.BooleanField(_("by appointment only"), default=True)
    services = models.JSONField(_("only these e-services"), default=list, blank=True)
    notice_az = models.TextField(_("notice (Azerbaijani)"))
    notice_en = models.TextField(_("notice (English)"))
    notice_ru = models.TextField(_("notice (Russian)"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("special regime")
        verbose_name_plural = _("special regimes")
        ordering = ["starts_on", "centre"]
        constraints = [
            models.CheckConstraint(
                name="specialregime_ends_after_start",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The last day cannot be before the first."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre_id}: {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    @property
    def notice(self) -> str:
        return _in_language(self, "notice")
