"""The 142 call log (zəng jurnalı): every call an operator takes or makes, and call-backs.

A `Call` is logged from the moment the operator answers, whether or not the caller is ever
identified (an information-only call needs no identity). Identifying the caller opens an
`accounts.CallSession` — the grant that lets the operator read and act for that person — and
links it to the call; ending the call ends that grant. The topic (a list kept as data, so the
call centre can add one without a release) and the outcome are recorded before or just after
the call ends (after-call work). A `Callback` is a promise to call someone back by a deadline;
an operator takes it from the shared queue and the call back is itself a logged `Call`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CallTopic(models.Model):
    """Mövzu: what a call was about, from the list the call centre keeps."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    is_active = models.BooleanField(_("offered to operators"), default=True)

    class Meta:
        verbose_name = _("call topic")
        verbose_name_plural = _("call topics")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "az")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_az)


class CallDirection(models.TextChoices):
    INCOMING = "incoming", _("Incoming call")
    CALL_BACK = "call_back", _("Call back")


class CallOutcome(models.TextChoices):
    INFORMATION = "information", _("Information given")
    APPLICATION_FILED = "application_filed", _("Application filed for the caller")
    APPOINTMENT_BOOKED = "appointment_booked", _("Appointment booked")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CALLBACK_PROMISED = "callback_promised", _("Call back promised")
    REFERRED = "referred", _("Referred to a DOST centre or another body")
    NO_ANSWER = "no_answer", _("No answer")
    DROPPED = "dropped", _("Call dropped")


class Call(models.Model):
    """Zəng: one call of an operator, from answering to hanging up."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    direction = models.CharField(
        _("direction"), max_length=16, choices=CallDirection.choices, default=CallDirection.INCOMING
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    caller = models.ForeignKey(
        "registry.Person",
        verbose_name=_("caller"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    session = models.OneToOneField(
        "accounts.CallSession",
        verbose_name=_("identification"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    callback = models.ForeignKey(
        "Callback",
        verbose_name=_("call back of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
    )
    topic = models.ForeignKey(
        CallTopic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=CallOutcome.choices, blank=True)
    notes = models.TextField(_("notes"), max_length=1000, blank=True)
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("applications discussed"), blank=True, related_name="+"
    )
    logged_at = models.DateTimeField(_("logged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [
            models.Index(fields=["operator", "-started_at"], name="callcentre_call_operator"),
            models.Index(fields=["started_at"], name="callcentre_call_started"),
        ]
        constraints = [
            # An operator is on one call at a time.
            models.UniqueConstraint(
                fields=["operator"],
                condition=Q(ended_at__isnull=True),
                name="callcentre_one_open_call_per_operator",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="callcentre_call_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=CallOutcome.values),
                name="callcentre_call_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=CallDirection.values),
                name="callcentre_call_direction_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def is_logged(self) -> bool:
        return self.topic_id is not None and bool(self.outcome)

    @property
    def duration(self) -> datetime.timedelta | None:
        return self.ended_at - self.started_at if self.ended_at else None


class CallbackStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLING = "calling", _("Being called")
    DONE = "done", _("Called back")
    UNREACHABLE = "unreachable", _("Not reached")


class Callback(models.Model):
    """Geri zəng: a promise made on a call to call the person back by a deadline."""

    requested_in = models.ForeignKey(
        Call, verbose_name=_("promised on call"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=16)
    topic = models.ForeignKey(
        CallTopic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("what to answer"), max_length=500)
    requested_at = models.DateTimeField(_("requested at"))
    due_at = models.DateTimeField(_("call back by"))
    status = models.CharField(
        _("status"), max_length=16, choices=CallbackStatus.choices, default=CallbackStatus.WAITING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator calling"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call back")
        verbose_name_plural = _("call backs")
        indexes = [models.Index(fields=["status", "due_at"], name="callcentre_callback_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CallbackStatus.values),
                name="callcentre_callback_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=F("requested_at")),
                name="callcentre_callback_due_after_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} — {self.due_at:%Y-%m-%d %H:%M}"
