"""E-mails the DOST centres received, their attachments, and where each mailbox was read to."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MailboxCursor(models.Model):
    """How far a centre's mailbox was read: the IMAP UIDVALIDITY and the last UID seen."""

    centre = models.OneToOneField(
        "centres.ServiceCentre", on_delete=models.CASCADE, related_name="+"
    )
    uid_validity = models.CharField(max_length=32, blank=True)
    last_uid = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.centre_id}: {self.uid_validity}/{self.last_uid}"


class EmailStatus(models.TextChoices):
    DRAFT = "draft", _("New request: waiting for a case worker")
    ADDED = "added", _("Added to an application")
    FILED = "filed", _("Filed as an application")
    QUARANTINED = "quarantined", _("Quarantined")


class QuarantineReason(models.TextChoices):
    LOOP = "loop", _("Automatic message (possible mail loop)")
    BOUNCE = "bounce", _("Delivery failure report (bounce)")
    OVERSIZE = "oversize", _("Larger than the e-mail size limit")
    SPAM = "spam", _("Marked as spam by the mail server")
    FORGED = "forged", _("The sender's address failed the mail server's checks (forged sender)")


class InboundEmail(models.Model):
    """Daxil olan məktub: one e-mail a centre received, kept as it came."""

    centre = models.ForeignKey(
        "centres.ServiceCentre",
        verbose_name=_("service centre"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    message_id = models.CharField(_("Message-ID"), max_length=255)
    uid = models.PositiveBigIntegerField(_("IMAP UID"))
    sender = models.CharField(_("from"), max_length=254)
    sender_name = models.CharField(_("sender's name"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(_("status"), max_length=12, choices=EmailStatus.choices)
    quarantine_reason = models.CharField(
        _("why it was quarantined"), max_length=12, choices=QuarantineReason.choices, blank=True
    )
    reference = models.CharField(_("reference"), max_length=20, blank=True, db_index=True)
    # The verified contact of a person in the registry wrote it (their `verified_email`).
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("sender in the registry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A later e-mail about a draft that is not yet a case is added to that draft.
    thread = models.ForeignKey(
        "self",
        verbose_name=_("first e-mail"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )

    class Meta:
        verbose_name = _("e-mail received")
        verbose_name_plural = _("e-mails received")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["centre", "status", "-received_at"], name="email_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "message_id"], name="mailintake_one_email_per_message_id"
            ),
            models.CheckConstraint(
                condition=(Q(status="quarantined") & ~Q(quarantine_reason=""))
                | (~Q(status="quarantined") & Q(quarantine_reason="")),
                name="mailintake_quarantine_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.message_id}"


class InboundAttachment(models.Model):
    """A file attached to an e-mail: stored when it passed the upload checks, else refused."""

    email = models.ForeignKey(InboundEmail, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=255, blank=True)
    scan_result = models.CharField(_("virus scan"), max_length=64, blank=True)
    refusal = models.TextField(_("why it was not accepted"), blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_accepted(self) -> bool:
        return bool(self.storage_name)
