"""Əmək müfəttişliyi: the labour inspection's disputes of contract entries.

A citizen who finds a wrong entry in the contracts register ("I never worked there", a wrong
wage) disputes it; a labour inspector decides the dispute, upheld or rejected, with a note the
citizen reads. The register itself is not changed here: an upheld dispute is the inspector's
finding, and the correction is the employer's notification (or the inspector's order to make
one). A person has at most one open dispute per contract, so a double submission is one
dispute.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DisputeReason(models.TextChoices):
    NEVER_WORKED = "never_worked", _("I never worked there")
    DATES = "dates", _("The dates are wrong")
    WAGE = "wage", _("The wage is wrong")
    POSITION = "position", _("The position is wrong")
    OTHER = "other", _("Something else")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Being examined by the labour inspection")
    UPHELD = "upheld", _("Upheld: the entry is wrong")
    REJECTED = "rejected", _("Rejected: the entry stands")


DISPUTE_TEXT_MAX_LENGTH = 2000


class ContractDispute(models.Model):
    """Mübahisə: a person's dispute of an entry of their contract, and the inspector's decision."""

    contract = models.ForeignKey(
        "labour.Contract",
        on_delete=models.PROTECT,
        related_name="disputes",
        verbose_name=_("contract"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="contract_disputes",
        verbose_name=_("disputed by"),
    )
    reason = models.CharField(_("what is wrong"), max_length=16, choices=DisputeReason.choices)
    text = models.TextField(_("explanation"), max_length=DISPUTE_TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract dispute")
        verbose_name_plural = _("contract disputes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "person"],
                condition=Q(status="open"),
                name="inspection_one_open_dispute",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "upheld", "rejected"]),
                name="inspection_dispute_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_at__isnull=False),
                name="inspection_dispute_decided_at",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="inspection_dispute_queue"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The number the citizen quotes (stable: the row's id)."""
        return f"ŞK-{self.pk:08d}" if self.pk else ""

    @property
    def is_open(self) -> bool:
        return self.status == DisputeStatus.OPEN
