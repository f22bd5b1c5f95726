"""Təyinat: what a person is entitled to, and the decision record that created it.

An award is never edited in place: a recalculation ends the old award the day before and starts a
new one that `supersedes` it, so every amount ever paid stays with the record that justified it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class AwardKind(models.TextChoices):
    OLD_AGE_PENSION = "old_age_pension", _("Old-age labour pension")
    DISABILITY_PENSION = "disability_pension", _("Disability labour pension")
    SURVIVOR_PENSION = "survivor_pension", _("Survivor labour pension")
    AGE_BENEFIT = "age_benefit", _("Age benefit")
    DISABILITY_BENEFIT = "disability_benefit", _("Disability benefit")
    DISABLED_CHILD_BENEFIT = "disabled_child_benefit", _("Disabled child benefit")
    SURVIVOR_BENEFIT = "survivor_benefit", _("Loss of breadwinner benefit")
    CHILDBIRTH_BENEFIT = "childbirth_benefit", _("Childbirth benefit")
    FUNERAL_BENEFIT = "funeral_benefit", _("Funeral benefit")
    CHILD_UNDER_ONE_BENEFIT = "child_under_one_benefit", _("Benefit for a child under 1")
    TARGETED_ASSISTANCE = "targeted_assistance", _("Targeted social assistance")
    STIPEND = "stipend", _("Presidential stipend")
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", _("Unemployment insurance benefit")


# The law lets a person hold one labour pension *or* one of the subsistence benefits that stand
# in for it (age, disability), never two; a family holds one targeted-assistance award. Kinds
# without a group (one-off and per-child benefits, stipends) combine freely.
EXCLUSIVITY_GROUPS: dict[str, str] = {
    AwardKind.OLD_AGE_PENSION: "labour_pension",
    AwardKind.DISABILITY_PENSION: "labour_pension",
    AwardKind.SURVIVOR_PENSION: "labour_pension",
    AwardKind.AGE_BENEFIT: "labour_pension",
    AwardKind.DISABILITY_BENEFIT: "labour_pension",
    AwardKind.TARGETED_ASSISTANCE: "targeted_assistance",
    AwardKind.UNEMPLOYMENT_BENEFIT: "unemployment",
}

# The catalogue service each kind belongs to (usage statistics count proactive grants there).
SERVICE_CODES: dict[str, str] = {
    AwardKind.OLD_AGE_PENSION: "old-age-pension",
    AwardKind.DISABILITY_PENSION: "disability-pension",
    AwardKind.SURVIVOR_PENSION: "survivor-pension",
    AwardKind.AGE_BENEFIT: "age-benefit",
    AwardKind.DISABILITY_BENEFIT: "disability-benefit",
    AwardKind.DISABLED_CHILD_BENEFIT: "disabled-child-benefit",
    AwardKind.SURVIVOR_BENEFIT: "survivor-benefit",
    AwardKind.CHILDBIRTH_BENEFIT: "childbirth-benefit",
    AwardKind.FUNERAL_BENEFIT: "funeral-benefit",
    AwardKind.CHILD_UNDER_ONE_BENEFIT: "targeted-social-assistance",
    AwardKind.TARGETED_ASSISTANCE: "targeted-social-assistance",
    AwardKind.STIPEND: "stipend",
    AwardKind.UNEMPLOYMENT_BENEFIT: "unemployment-insurance-benefit",
}


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class AwardOrigin(models.TextChoices):
    CASE_DECISION = "case_decision", _("Decision on an application")
    PROACTIVE_RUN = "proactive_run", _("Proactive assignment")
    RECALCULATION = "recalculation", _("Recalculation")


class DecisionBasis(models.Model):
    """What every decision of one batch shares: scheme, date, rules version, parameter values."""

    scheme = models.CharField(_("scheme"), max_length=40)
    on = models.DateField(_("evaluated on"))
    rules_version = models.CharField(_("rules version"), max_length=40)
    parameters = models.JSONField(_("parameters used"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision basis")
        verbose_name_plural = _("decision bases")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "on", "rules_version"], name="awards_basis_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.on} ({self.rules_version})"


class Award(models.Model):
    """Təyinat: a pension, benefit, assistance or stipend held by a person (or their family)."""

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("person"),
        db_index=False,  # awards_award_once_per_start leads with person
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("household"),
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=32, choices=AwardKind.choices)
    exclusivity_group = models.CharField(_("exclusivity group"), max_length=32, blank=True)
    amount_qepik = models.BigIntegerField(_("amount (qəpik)"))
    is_one_off = models.BooleanField(_("one-off payment"), default=False)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    origin = models.CharField(_("origin"), max_length=16, choices=AwardOrigin.choices)
    origin_reference = models.CharField(_("origin reference"), max_length=64, blank=True)
    # The proactive run (or recalculation batch) that wrote the row. Not indexed: nothing looks
    # awards up by it, and a full run writes hundreds of thousands at once.
    origin_batch = models.BigIntegerField(_("origin batch"), null=True, blank=True)
    # No index: a basis is shared by a whole batch and never deleted; an index of one value
    # repeated for every award would only slow the batch's writes.
    basis = models.ForeignKey(
        DecisionBasis,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("basis"),
        db_index=False,
    )
    # {"facts": {...}, "steps": {...}}: with the basis, the full trace of the decision.
    record = models.JSONField(_("decision record"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="superseded_by",
        null=True,
        blank=True,
        verbose_name=_("supersedes"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "status"], name="awards_award_kind_status"),
        ]
        constraints = [
            # Idempotency of proactive grants: one award per person, kind and start date.
            models.UniqueConstraint(
                fields=["person", "kind", "start_on"], name="awards_award_once_per_start"
            ),
            # The law's exclusivity, enforced by the database, not only by a check in code.
            models.UniqueConstraint(
                fields=["person", "exclusivity_group"],
                condition=Q(status="active") & ~Q(exclusivity_group=""),
                name="awards_award_exclusive_active",
                violation_error_message=_("The person already holds an exclusive active award."),
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="awards_award_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(amount_qepik__gte=0), name="awards_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=AwardStatus.values), name="awards_award_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id} {self.start_on}"


class RecalculationStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")


class Recalculation(models.Model):
    """Yenidən hesablama: a reviewed batch of new amounts from a date (e.g. indexation 1 Jan)."""

    kind = models.CharField(_("kind"), max_length=32, choices=AwardKind.choices)
    effective_on = models.DateField(_("new amounts from"))
    status = models.CharField(_("status"), max_length=20, choices=RecalculationStatus.choices)
    changes = models.PositiveIntegerField(_("awards that change"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recalculation")
        verbose_name_plural = _("recalculations")

    def __str__(self) -> str:
        return f"{self.kind} from {self.effective_on} ({self.status})"


class RecalculationItem(models.Model):
    """One award whose amount changes: the old and new amounts, and the new record."""

    recalculation = models.ForeignKey(Recalculation, on_delete=models.CASCADE, related_name="items")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="+")
    old_amount_qepik = models.BigIntegerField()
    new_amount_qepik = models.BigIntegerField()
    record = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recalculation", "award"], name="awards_recalculation_item_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.award_id}: {self.old_amount_qepik} → {self.new_amount_qepik}"
