"""Accounts: who signs in, and the facts the access funnel decides on.

- `CitizenAccount` links a Django user to the registry person who signed in as them (created on
  the first sign-in; the user has no usable password — only document + FİN + one-time code).
- `StaffProfile` binds a staff user to a service centre and the subsystems they handle.
- `EmployerRepresentative` binds a person to an employer they act for (granted, revocable).
- `SessionGeneration` makes "sign out everywhere" a counter every session is compared with.
- `OneTimeCode` is one sign-in challenge (its code reaches the person through the outbox).
- `ServiceCentreRegistration` and `CallSession` are the relations that open a person's record to
  a case worker (registration at their centre) or an operator (the caller they identified).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meis.accounts.roles import Subsystem


class CitizenAccount(models.Model):
    """Vətəndaş hesabı: the user a person signs in as."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_account"
    )
    person = models.OneToOneField(
        "registry.Person", on_delete=models.PROTECT, related_name="citizen_account"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("citizen account")
        verbose_name_plural = _("citizen accounts")

    def __str__(self) -> str:
        return f"{self.person_id}"


class StaffProfile(models.Model):
    """Əməkdaş profili: where a staff member works and which subsystems they handle."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    centre = models.ForeignKey(
        "centres.ServiceCentre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("service centre"),
    )
    subsystems = models.JSONField(_("subsystems handled"), default=list, blank=True)
    # What a citizen sees under "who looked at my data" instead of the staff member's name.
    institution = models.CharField(_("institution"), max_length=255)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.institution}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        unknown = set(self.subsystems or []) - set(Subsystem.values)
        if unknown:
            raise ValidationError({"subsystems": _("Unknown subsystem code.")})


class BindingGrantor(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    EMPLOYER_HEAD = "employer_head", _("Head of the employer")


class EmployerRepresentative(models.Model):
    """İşəgötürənin nümayəndəsi: a person bound to act for an employer.

    The representative signs in like any citizen (document + FİN + one-time code) and then acts
    for every employer they hold an unrevoked binding to. A binding is granted by an
    administrator or by the employer's head as the tax register records him; grants and
    revocations are audited, and a revoked binding is kept (who acted for whom, and when).
    """

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="employer_bindings",
        verbose_name=_("representative"),
    )
    employer = models.ForeignKey(
        "registry.Employer",
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name=_("employer"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_as = models.CharField(
        _("granted as"), max_length=16, choices=BindingGrantor.choices, default="administrator"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("employer representative")
        verbose_name_plural = _("employer representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "employer"],
                condition=Q(revoked_at__isnull=True),
                name="accounts_one_live_binding",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} for {self.employer_id}"


class SessionGeneration(models.Model):
    """Sessions of a user started before the current generation are no longer valid."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_generation"
    )
    generation = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("session generation")
        verbose_name_plural = _("session generations")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.generation}"


class CodeChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class OneTimeCode(models.Model):
    """Birdəfəlik kod: one sign-in challenge.

    Only an HMAC of the code is stored. A challenge for details that match nobody is stored too
    (with no person), so that every request does the same work and looks the same.
    """

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    fin = models.CharField(_("FİN as entered"), max_length=7)
    channel = models.CharField(_("channel"), max_length=8, choices=CodeChannel.choices, blank=True)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["expires_at"], name="accounts_otc_expires")]

    def __str__(self) -> str:
        return f"challenge {self.pk}"


class ServiceCentreRegistration(models.Model):
    """Mərkəzdə qeydiyyat: a person is being served by a centre in one subsystem.

    Made when an application is received at (or routed to) a centre; closed when the matter is
    finished. It is what opens the person's record to that centre's case workers. The case
    engine will record the same fact as "an open case at the centre" and replace this model.
    """

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    centre = models.ForeignKey(
        "centres.ServiceCentre",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("service centre"),
    )
    subsystem = models.CharField(_("subsystem"), max_length=32, choices=Subsystem.choices)
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service centre registration")
        verbose_name_plural = _("service centre registrations")
        indexes = [
            models.Index(fields=["person", "centre"], name="accounts_registration_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(subsystem__in=Subsystem.values),
                name="accounts_registration_subsystem_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CallSession(models.Model):
    """142 zəngi: a call in which an operator identified the caller."""

    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    caller = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    identified_by = models.CharField(_("identified by"), max_length=64)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [models.Index(fields=["operator", "ended_at"], name="accounts_call_operator")]

    def __str__(self) -> str:
        return self.reference
