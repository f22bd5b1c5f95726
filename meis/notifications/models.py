"""Message templates (versioned, per event and language) and the outbox of messages.

A `Message` row is written in the same transaction as the change that caused it (the outbox);
its status is the delivery state machine:

    queued → sending → sent → delivered
                     ↘ failed_temporarily → (backoff) → sending … → dead after N attempts
                     ↘ failed_permanently

Portal-inbox messages are delivered when they are written.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meis.notifications.events import EVENTS, event_choices
from meis.notifications.placeholders import placeholders_in
from meis.notifications.segments import SmsLength, sms_length
from meis.registry.models import Language


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    PORTAL = "portal", _("Portal inbox")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED_TEMPORARILY = "failed_temporarily", _("Failed temporarily, will retry")
    FAILED_PERMANENTLY = "failed_permanently", _("Failed permanently")
    DEAD = "dead", _("Gave up after retries")


# Staff may re-send these.
RESENDABLE = (Status.FAILED_PERMANENTLY, Status.DEAD, Status.FAILED_TEMPORARILY)
# A case's reference as meis/cases gives it; other references (award letters') are internal.
CASE_REFERENCE = re.compile(r"MEIS-\d{4}-\d{7}")
# Not yet sent, or failed: the outbox's and staff's working set (indexed by status).
PENDING = (Status.QUEUED, Status.SENDING, *RESENDABLE)

_TEXT_FIELDS = ("email_subject", "email_text", "email_html", "sms_text")


class Template(models.Model):
    """Bildiriş şablonu: one version of the wording for an event in one language.

    Versions are never edited: saving a change in the admin writes the next version, and each
    message records the version it was rendered from. The newest version is the current one.
    """

    event = models.CharField(_("event"), max_length=40, choices=event_choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    email_subject = models.CharField(_("e-mail subject"), max_length=255)
    email_text = models.TextField(
        _("e-mail text"), help_text=_("Also the text shown in the portal inbox.")
    )
    email_html = models.TextField(
        _("e-mail HTML"),
        blank=True,
        help_text=_("Leave empty to build the HTML version from the text."),
    )
    sms_text = models.TextField(_("SMS text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["event", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language", "version"], name="notifications_template_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} [{self.language}] v{self.version}"

    @property
    def sms_length(self) -> SmsLength:
        return sms_length(self.sms_text)

    def clean(self) -> None:
        event = EVENTS.get(self.event)
        if event is None:
            raise ValidationError({"event": _("Choose one of the declared events.")})
        errors: dict[str, ValidationError] = {}
        for field in _TEXT_FIELDS:
            unknown = placeholders_in(getattr(self, field)) - event.fields
            if unknown:
                errors[field] = ValidationError(
                    _(
                        "Unknown personalisation field(s) %(unknown)s. This event provides: "
                        "%(allowed)s. Correct the spelling or remove the field."
                    ),
                    code="unknown_placeholder",
                    params={
                        "unknown": ", ".join(f"(({name}))" for name in sorted(unknown)),
                        "allowed": ", ".join(f"(({name}))" for name in sorted(event.fields)),
                    },
                )
        if errors:
            raise ValidationError(errors)


class Message(models.Model):
    """Bildiriş: one message to one person on one channel, and its delivery state."""

    public_id = models.UUIDField(_("public id"), unique=True, editable=False)
    # No index of its own on `person` or `template`: the inbox index (person, channel,
    # created_at) serves look-ups by person, and nothing looks messages up by template (template
    # versions are never deleted). Each index costs every message written, a full run's
    # set-based letters most.
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    event = models.CharField(_("event"), max_length=40, choices=event_choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    template = models.ForeignKey(
        Template,
        verbose_name=_("template version"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    is_contact_verification = models.BooleanField(
        _("verifies a new contact"),
        default=False,
        help_text=_("A one-time code to a contact the person is proving they own."),
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    case_reference = models.CharField(_("case reference"), max_length=64, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    task_id = models.UUIDField(_("last task"), null=True, blank=True, editable=False)
    resend_count = models.PositiveSmallIntegerField(_("re-sent by staff"), default=0)
    # Database defaults too: the proactive app inserts message rows set-based, without them.
    has_attachments = models.BooleanField(
        _("has attachments"), default=False, db_default=False, editable=False
    )
    body_redacted_at = models.DateTimeField(
        _("content removed at"),
        null=True,
        blank=True,
        help_text=_("The text and attachments were removed under the retention rule."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        permissions = [("resend_message", _("Can re-send a failed message"))]
        constraints = [
            # A retried business action (same dedupe key) makes one message per channel.
            models.UniqueConstraint(
                fields=["channel", "dedupe_key"], name="notifications_message_dedupe"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="notifications_message_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="notifications_message_channel_valid",
            ),
        ]
        indexes = [
            # Only messages still to be sent or looked after (due, being sent, failed): what the
            # outbox claims and staff re-send. Delivered and sent messages — nearly all of them,
            # and every portal message from the start — stay out, so the index stays small and a
            # full proactive run's inbox copies cost no entry in it.
            models.Index(
                fields=["status", "next_attempt_at"],
                name="notifications_msg_pending",
                condition=Q(status__in=PENDING),
            ),
            models.Index(fields=["case_reference"], name="notifications_msg_case"),
            models.Index(
                fields=["person", "channel", "-created_at"], name="notifications_msg_inbox"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.channel} ({self.status})"

    @property
    def is_resendable(self) -> bool:
        return self.status in RESENDABLE and self.body_redacted_at is None

    @property
    def citizen_case_reference(self) -> str:
        """The case reference a citizen may be shown: a MEİS case's own ("MEIS-2026-0000123"),
        never an internal one such as an award letter's ("award-52")."""
        return self.case_reference if CASE_REFERENCE.fullmatch(self.case_reference) else ""


class Attachment(models.Model):
    """Bildirişə əlavə: a file sent with an e-mail message and offered in the portal inbox.

    The bytes are kept in the default storage under their SHA-256 (one copy however many
    messages carry them); the row is the receipt of what was attached, and stays when the
    retention rule removes the bytes.
    """

    public_id = models.UUIDField(_("public id"), unique=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["message", "id"]
        indexes = [models.Index(fields=["storage_name"], name="notifications_att_storage")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_available(self) -> bool:
        """False once the retention rule removed the bytes."""
        return bool(self.storage_name)
