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
    # Presidential stipends (docs/domain.md §5) and the training stipend of the unemployed (§8).
    STIPEND = "stipend", _("Stipend")
    PRESIDENTIAL_STIPEND = "presidential_stipend", _("Presidential stipend")
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
    # One Presidential stipend per person, the highest of their categories (the decrees pay one);
    # it combines with a pension or benefit.
    AwardKind.PRESIDENTIAL_STIPEND: "presidential_stipend",
}

# Awards granted for a fixed term, which the family renews by applying again (docs/domain.md §2).
RENEWABLE_KINDS: frozenset[str] = frozenset({AwardKind.TARGETED_ASSISTANCE.value})
# Awards resting on a disability decision: they end at its re-examination date (§4).
DISABILITY_KINDS: frozenset[str] = frozenset(
    {
        AwardKind.DISABILITY_PENSION.value,
        AwardKind.DISABILITY_BENEFIT.value,
        AwardKind.DISABLED_CHILD_BENEFIT.value,
    }
)
# Paid once: they end the day they start.
ONE_OFF_KINDS: frozenset[str] = frozenset(
    {AwardKind.CHILDBIRTH_BENEFIT.value, AwardKind.FUNERAL_BENEFIT.value}
)

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
    AwardKind.PRESIDENTIAL_STIPEND: "stipend",
    AwardKind.UNEMPLOYMENT_BENEFIT: "unemployment-insurance-benefit",
}


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


# The statuses in which a person holds an award: a suspended award is not paid, but it is still
# theirs (exclusivity, renewal and the daily end of awards count it).
HELD_STATUSES = (AwardStatus.ACTIVE.value, AwardStatus.SUSPENDED.value)


class AwardEndReason(models.TextChoices):
    """Why an award ended (set when it ends; an explicit end by a decision is kept from the grant)."""

    TERM = "term", _("The period it was granted for ended")
    REEXAMINATION = "reexamination", _("The disability re-examination date came")
    AGE_LIMIT = "age_limit", _("The child reached the age limit")
    DEATH = "death", _("The recipient died")
    RENEWED = "renewed", _("Replaced by a renewal")
    RECALCULATED = "recalculated", _("Replaced by a recalculation")
    DECISION = "decision", _("The end date set by the decision")
    EMPLOYED = "employed", _("A new employment contract was registered")


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
    # Why it ended; empty while it runs, unless a decision set its end date (`DECISION`). A
    # database default too: the proactive pipeline and recalculations insert rows set-based.
    end_reason = models.CharField(
        _("end reason"),
        max_length=16,
        choices=AwardEndReason.choices,
        blank=True,
        default="",
        db_default="",
    )
    # The day the renewal reminder was written (targeted assistance): it goes once.
    renewal_reminded_on = models.DateField(_("renewal reminder sent on"), null=True, blank=True)
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
            # What the daily job ends or reminds about: held awards with an end date. Awards
            # without one (old-age pensions, indefinite disability) and one-off payments stay out.
            models.Index(
                fields=["end_on"],
                name="awards_award_due",
                condition=Q(status__in=HELD_STATUSES)
                & Q(end_on__isnull=False)
                & Q(is_one_off=False),
            ),
        ]
        constraints = [
            # Idempotency of proactive grants: one award per person, kind and start date.
            models.UniqueConstraint(
                fields=["person", "kind", "start_on"], name="awards_award_once_per_start"
            ),
            # The law's exclusivity, enforced by the database, not only by a check in code. A
            # suspended award is still held: resuming it never meets a second award.
            models.UniqueConstraint(
                fields=["person", "exclusivity_group"],
                condition=Q(status__in=HELD_STATUSES) & ~Q(exclusivity_group=""),
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


class AwardSuspension(models.Model):
    """Dayandırma: a period in which an award is not paid, with the reasons and who decided."""

    award = models.ForeignKey(
        Award, on_delete=models.PROTECT, related_name="suspensions", verbose_name=_("award")
    )
    suspended_on = models.DateField(_("suspended from"))
    reason = models.CharField(_("reason"), max_length=500)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    resumed_on = models.DateField(_("resumed from"), null=True, blank=True)
    resume_reason = models.CharField(_("reason for resuming"), max_length=500, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award suspension")
        verbose_name_plural = _("award suspensions")
        ordering = ["-suspended_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(resumed_on__isnull=True),
                name="awards_suspension_one_open",
            ),
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=F("suspended_on")),
                name="awards_suspension_resumed_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} from {self.suspended_on}"


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
