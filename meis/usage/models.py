"""Usage events — one row per use of a service, in any channel — and their daily rollups.

No personal data: an event names the service, channel, region, centre and outcome, never a
person. The rollups are what dashboards, the public page and the open data read; the raw events
are read only by the refresh (services.rollup_refresh) and the report for a period.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageKind(models.TextChoices):
    """What was used. `E_SERVICE_USES` (below) are the ones the ministry counts as e-service uses."""

    APPLICATION = "application", _("Application submitted")
    INSTANT = "instant", _("Service given at once")
    APPEAL = "appeal", _("Appeal submitted")
    DECISION = "decision", _("Application decided")
    PROACTIVE = "proactive", _("Assigned without an application")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CERTIFICATE_VERIFIED = "certificate_verified", _("Certificate checked")
    APPOINTMENT = "appointment", _("Appointment booked")
    CALL = "call", _("Call to 142")
    # A call back promised on a 142 call, and its closing: called back (`measure`: the seconds
    # from the promise to the call that reached the person; `on_time`: by the deadline) or not
    # reached. The promise and the closing are two kinds, so a day's rows never add them up.
    CALLBACK_REQUESTED = "callback_requested", _("Call back promised on 142")
    CALLBACK_CLOSED = "callback_closed", _("Call back closed")
    TICKET = "ticket", _("Walk-in visitor called")
    EMAIL = "email", _("E-mail to a centre")
    # The employment service's register (meis.employment): counted where it changes, never the
    # person. `outcome` carries the status (job_seeker / unemployed) or the end reason.
    JOB_SEEKER_REGISTERED = "job_seeker_registered", _("Registered with the employment service")
    JOB_SEEKER_ENDED = "job_seeker_ended", _("Employment-service registration ended")
    VACANCY_POSTED = "vacancy_posted", _("Vacancy posted")
    VACANCY_CLOSED = "vacancy_closed", _("Vacancy closed")
    REFERRAL = "referral", _("Job seeker referred to a vacancy")
    PLACEMENT = "placement", _("Job seeker hired on a referral")


# The seed's "e-service uses" (2,774,891 in ten weeks of 2020): what a person did through an
# e-service, or what an e-service did for them unasked. A decision, a certificate issued on an
# application, a call or a queue ticket is not a further use of an e-service. [M] — the ministry
# does not publish its definition (docs/domain.md §10).
E_SERVICE_USES = (
    UsageKind.APPLICATION,
    UsageKind.INSTANT,
    UsageKind.APPEAL,
    UsageKind.PROACTIVE,
    UsageKind.CERTIFICATE_VERIFIED,
    UsageKind.APPOINTMENT,
)


class UsageEvent(models.Model):
    """İstifadə: one use. `measure` is the kind's one number: for a decision the working days it
    took, for a call its length in seconds, for a walk-in visitor the seconds they waited, for a
    call back made the seconds from the promise to the call back.
    `source` names the thing used ("award:42"), so that writing it twice counts it once."""

    occurred_at = models.DateTimeField(_("occurred at"))
    day = models.DateField(_("day"))  # the local (Baku) day of occurred_at
    kind = models.CharField(_("kind"), max_length=24, choices=UsageKind.choices)
    service_code = models.CharField(_("service"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    region = models.CharField(_("region"), max_length=32, blank=True)
    centre_code = models.CharField(_("centre"), max_length=32, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, blank=True)
    measure = models.BigIntegerField(_("measure"), null=True, blank=True)
    on_time = models.BooleanField(_("within the deadline"), null=True, blank=True)
    source = models.CharField(  # noqa: DJ001 — NULL: an event with no source is never a duplicate
        _("source"), max_length=80, null=True, blank=True
    )

    class Meta:
        verbose_name = _("usage event")
        verbose_name_plural = _("usage events")
        indexes = [models.Index(fields=["day"], name="usage_event_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(source__isnull=False),
                name="usage_event_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.service_code} ({self.channel})"


class UsageDaily(models.Model):
    """A day's events of one kind, service, channel, region, centre and outcome: the rollup."""

    day = models.DateField()
    kind = models.CharField(max_length=24, choices=UsageKind.choices)
    service_code = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    region = models.CharField(max_length=32, blank=True)
    centre_code = models.CharField(max_length=32, blank=True)
    outcome = models.CharField(max_length=32, blank=True)
    events = models.BigIntegerField()
    on_time = models.BigIntegerField(default=0)  # of them, decided within the deadline
    measured = models.BigIntegerField(default=0)  # of them, with a measure
    measure_sum = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("daily usage")
        verbose_name_plural = _("daily usage")
        indexes = [models.Index(fields=["day", "kind"], name="usage_daily_day_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "kind",
                    "service_code",
                    "channel",
                    "region",
                    "centre_code",
                    "outcome",
                ],
                name="usage_daily_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.service_code}: {self.events}"


class DecisionTimeDaily(models.Model):
    """How many decisions of a day took `working_days`, by service and centre: the median's
    histogram (a median cannot be summed from daily medians)."""

    day = models.DateField()
    service_code = models.CharField(max_length=64, blank=True)
    region = models.CharField(max_length=32, blank=True)
    centre_code = models.CharField(max_length=32, blank=True)
    working_days = models.IntegerField()
    decisions = models.BigIntegerField()

    class Meta:
        verbose_name = _("decision times of a day")
        verbose_name_plural = _("decision times of a day")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service_code", "region", "centre_code", "working_days"],
                name="usage_decision_time_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.service_code} {self.working_days}: {self.decisions}"


class UsageMonthly(models.Model):
    """`UsageDaily` summed over a month (`month` is its first day): a whole-year query reads
    twelve months of this instead of 365 days of that (bench/stats.py)."""

    month = models.DateField()
    kind = models.CharField(max_length=24, choices=UsageKind.choices)
    service_code = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    region = models.CharField(max_length=32, blank=True)
    centre_code = models.CharField(max_length=32, blank=True)
    outcome = models.CharField(max_length=32, blank=True)
    events = models.BigIntegerField()
    on_time = models.BigIntegerField(default=0)
    measured = models.BigIntegerField(default=0)
    measure_sum = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly usage")
        verbose_name_plural = _("monthly usage")
        indexes = [models.Index(fields=["month", "kind"], name="usage_monthly_month_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "kind",
                    "service_code",
                    "channel",
                    "region",
                    "centre_code",
                    "outcome",
                ],
                name="usage_monthly_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind} {self.service_code}: {self.events}"


class UsageDayTotal(models.Model):
    """A day's events of one kind by region and centre only — no service, channel or outcome:
    the narrow table a series by day or week reads (a few hundred rows a day, not thousands)."""

    day = models.DateField()
    kind = models.CharField(max_length=24, choices=UsageKind.choices)
    region = models.CharField(max_length=32, blank=True)
    centre_code = models.CharField(max_length=32, blank=True)
    events = models.BigIntegerField()

    class Meta:
        verbose_name = _("daily usage total")
        verbose_name_plural = _("daily usage totals")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "region", "centre_code"], name="usage_day_total_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}: {self.events}"


class DecisionTimeMonthly(models.Model):
    """`DecisionTimeDaily` summed over a month."""

    month = models.DateField()
    service_code = models.CharField(max_length=64, blank=True)
    region = models.CharField(max_length=32, blank=True)
    centre_code = models.CharField(max_length=32, blank=True)
    working_days = models.IntegerField()
    decisions = models.BigIntegerField()

    class Meta:
        verbose_name = _("decision times of a month")
        verbose_name_plural = _("decision times of a month")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "service_code", "region", "centre_code", "working_days"],
                name="usage_decision_time_month_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.service_code} {self.working_days}: {self.decisions}"


class RollupState(models.Model):
    """The refresh's watermark: events up to `last_event_id` are in the rollups. One row; its
    lock serialises refreshes across processes."""

    name = models.CharField(max_length=32, primary_key=True)
    last_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"
