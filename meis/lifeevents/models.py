"""Registry facts the proactive rules need beyond the population register.

Disability decisions (TSEK), births with their parent–child links, and the means facts of a
household (incomes, assets, spending) that targeted assistance reads. Kept here, not in
`registry`, so the registry's owner keeps a clean population register.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class DisabilityDegree(models.TextChoices):
    """Əlillik dərəcəsi (2015–Jun 2022 scale; children: disability established before 18)."""

    FIRST = "I", _("Degree I")
    SECOND = "II", _("Degree II")
    THIRD = "III", _("Degree III")
    CHILD = "child", _("Disability established before 18")


class DisabilityDecision(models.Model):
    """TSEK qərarı: a commission decision establishing disability; its date is the disability date."""

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="disability_decisions",
        verbose_name=_("person"),
    )
    degree = models.CharField(_("degree"), max_length=5, choices=DisabilityDegree.choices)
    percentage = models.PositiveSmallIntegerField(_("loss of body functions (%)"), null=True)
    cause = models.CharField(_("cause"), max_length=40, default="general_illness")
    decided_on = models.DateField(_("decided on"))
    reexamine_on = models.DateField(_("re-examination on"), null=True, blank=True)
    # What the commission's signed decision adds (empty on decisions loaded from the old register
    # and on synthetic ones): its number, the commission, the examination it closed, and the
    # life-activity categories limited (codes of the 2022 criteria's seven).
    # Database defaults, so the set-based writers (synthetic decisions, benchmarks) need not name
    # these columns.
    number = models.CharField(_("decision number"), max_length=32, blank=True, db_default="")
    commission_name = models.CharField(_("commission"), max_length=255, blank=True, db_default="")
    examination = models.CharField(
        _("examination"),
        max_length=16,
        choices=[
            ("initial", _("Initial examination")),
            ("reexamination", _("Re-examination")),
            ("appeal", _("Appeal examination")),
        ],
        db_default="initial",
    )
    categories = models.JSONField(_("life-activity categories limited"), db_default=[], blank=True)
    # The day the re-examination reminder was sent (the daily job sends it once).
    reminded_on = models.DateField(_("re-examination reminder sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("disability decision")
        verbose_name_plural = _("disability decisions")
        indexes = [
            models.Index(fields=["decided_on"], name="lifeevents_disability_day"),
            # The re-examination reminder reads the decisions due soon and not reminded yet.
            models.Index(
                fields=["reexamine_on"],
                name="lifeevents_disability_remind",
                condition=Q(reminded_on__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(degree__in=DisabilityDegree.values),
                name="lifeevents_disability_degree_valid",
            ),
            models.CheckConstraint(
                condition=Q(reexamine_on__isnull=True) | Q(reexamine_on__gt=F("decided_on")),
                name="lifeevents_disability_reexamine_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.degree} ({self.decided_on})"


class Birth(models.Model):
    """Doğum: a child's birth with the parent–child links (mother, father when known)."""

    child = models.OneToOneField(
        "registry.Person", on_delete=models.PROTECT, related_name="birth", verbose_name=_("child")
    )
    mother = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="births_as_mother",
        verbose_name=_("mother"),
    )
    father = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="births_as_father",
        verbose_name=_("father"),
        null=True,
        blank=True,
    )
    born_on = models.DateField(_("born on"))

    class Meta:
        verbose_name = _("birth")
        verbose_name_plural = _("births")
        indexes = [models.Index(fields=["born_on"], name="lifeevents_birth_day")]

    def __str__(self) -> str:
        return f"{self.child_id} ← {self.mother_id} ({self.born_on})"


class HouseholdMeans(models.Model):
    """Ailənin gəlir və əmlak məlumatları: what the state registers say about a family's means."""

    household = models.OneToOneField(
        "registry.Household",
        on_delete=models.PROTECT,
        related_name="means",
        verbose_name=_("household"),
    )
    income_12_months_qepik = models.BigIntegerField(_("income in the last 12 months (qəpik)"))
    purchases_sales_12_months_qepik = models.BigIntegerField(_("purchases and sales (qəpik)"))
    has_vehicle = models.BooleanField(_("has a vehicle"))
    refused_suitable_jobs = models.PositiveSmallIntegerField(_("suitable jobs refused"))
    utility_spending_12_months_qepik = models.BigIntegerField(_("utility spending (qəpik)"))
    same_purpose_real_estate_units = models.PositiveSmallIntegerField(_("real-estate units"))
    declaration_matches_checks = models.BooleanField(_("declaration matches checks"))
    updated_on = models.DateField(_("updated on"))

    class Meta:
        verbose_name = _("household means")
        verbose_name_plural = _("household means")

    def __str__(self) -> str:
        return str(self.household_id)
