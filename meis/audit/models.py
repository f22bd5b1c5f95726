"""Append-only audit events.

Every read of a person's data by anyone but that person, every refusal of such a read and every
change is one `AuditEvent`. The application can add events and never change or remove them:
`save()` on an existing event, `delete()`, and the queryset's `update()` and `delete()` all raise
`AuditTrailIsAppendOnly`. The sealer links every event into a hash chain of `AuditSeal`s soon after
it is written (`meis.audit.chain`, ADR 0022), so that a change made behind the application's
back shows.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):  # noqa: N818 — reads as the rule it enforces
    """Raised on any attempt to change or delete an audit event."""


class AuditAction(models.TextChoices):
    PERSON_READ = "person.read", _("Read a person's record")
    PERSON_SEARCH = "person.search", _("Searched the registry")
    PERSON_CHANGE = "person.change", _("Changed a person's record")
    ACCESS_REFUSED = "access.refused", _("Access refused")
    SIGN_IN = "auth.sign_in", _("Signed in")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "auth.sign_out", _("Signed out")
    SIGN_OUT_EVERYWHERE = "auth.sign_out_everywhere", _("Signed out on every device")
    CODE_SENT = "auth.code_sent", _("Sent a sign-in code")
    AUDIT_SEARCH = "audit.search", _("Searched the audit trail")
    MESSAGE_RESEND = "message.resend", _("Re-sent a message")
    OTHER = "other", _("Other")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit events cannot be updated.")

    def delete(self) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")

    def for_person(self, person_id: int) -> AuditEventQuerySet:
        return self.filter(person_id=person_id)


class AuditEvent(models.Model):
    """Audit hadisəsi: one read, refusal or change, with its actor, subject, purpose and origin."""

    occurred_at = models.DateTimeField(
        _("occurred at"), default=timezone.now, editable=False, db_index=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Frozen at the time of the event: a later change of role or centre must not rewrite history.
    actor_role = models.CharField(_("actor role"), max_length=64, blank=True)
    actor_institution = models.CharField(_("institution"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=64, choices=AuditAction.choices)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="audit_person_time"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.actor_role}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit events cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")


class AuditSealQuerySet(models.QuerySet["AuditSeal"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit seals cannot be updated.")

    def delete(self) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit seals cannot be deleted.")


class AuditSeal(models.Model):
    """One link of the audit trail's hash chain (ADR 0022), appended by the sealer: the event it
    seals, the previous seal's hash, and the hash of the event's fields and that previous hash.
    The chain's order is the seals' id order. Append-only like the events."""

    event = models.OneToOneField(
        AuditEvent, verbose_name=_("audit event"), on_delete=models.PROTECT, related_name="seal"
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    row_hash = models.CharField(_("hash"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)

    objects = AuditSealQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self) -> str:
        return f"{self.event_id} {self.row_hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit seals cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit seals cannot be deleted.")
