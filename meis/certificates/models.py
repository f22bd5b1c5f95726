"""Issued e-certificates (elektron arayışlar): frozen facts, the signed PDF, status.

Writes happen only in `meis.certificates.services`. The verification code itself is never stored:
`code_digest` is its SHA-256 (see `codes.py`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    """Arayış: one signed statement about a person, as it was on the day of issue."""

    type_code = models.CharField(_("certificate type"), max_length=32)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="certificate",
        null=True,
        blank=True,
    )
    language = models.CharField(_("language"), max_length=2)
    recipient = models.CharField(_("presented to"), max_length=200, blank=True)
    # {"title": str, "rows": [[label, value], ...] in `language`, "key": {...} language-neutral}
    facts = models.JSONField(_("facts"))
    issued_at = models.DateTimeField(_("issued at"))
    expires_on = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16)
    code_digest = models.CharField(_("verification code digest"), max_length=64, unique=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ISSUED,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=255, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The commission decision an extract is issued for (only the decision extract has one): one
    # extract in force per decision, so issuing it twice gives the same certificate.
    disability_decision = models.ForeignKey(
        "lifeevents.DisabilityDecision",
        verbose_name=_("disability decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pdf_name = models.CharField(_("stored PDF"), max_length=255)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["person", "-issued_at"], name="certificates_person_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="issued", revoked_at__isnull=True)
                | Q(status="revoked", revoked_at__isnull=False),
                name="certificates_revoked_has_time",
            ),
            models.UniqueConstraint(
                fields=["disability_decision"],
                condition=Q(status="issued", disability_decision__isnull=False),
                name="certificates_one_extract_per_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type_code} {self.person_id} {self.issued_at:%Y-%m-%d}"

    @property
    def is_revoked(self) -> bool:
        return self.status == CertificateStatus.REVOKED

    @property
    def is_indefinite(self) -> bool:
        """Valid with no end date (the extract of a decision without re-examination)."""
        return self.expires_on == datetime.date.max

    def is_expired(self, *, on: datetime.date) -> bool:
        return on > self.expires_on
