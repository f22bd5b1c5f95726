"""The registers behind the Presidential stipends (Prezident təqaüdü, docs/domain.md §5).

One row per status a person holds in one authority's register: the category, for the
war-disabled the degree, for a martyr's family member the martyr, and its source (the
authority, the date it was recorded, the document number).

PROJECT DECISION: the war-disabled / 20 January disabled status is a register of its own, not
derived from `lifeevents.DisabilityDecision.cause`. The commission records a cause, but the
status that founds the stipend is certified by the Ministry of Defence (war) or by the decision
recognising a 20 January victim; a decision with cause "military service" without that
certificate gives no stipend, and the register keeps its own document number for audit.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StipendCategory(models.TextChoices):
    WAR_DISABLED = "war_disabled", _("Disabled by war")
    JANUARY_20_DISABLED = "january_20_disabled", _("Disabled in the events of 20 January 1990")
    MARTYR_FAMILY = "martyr_family", _("Family member of a martyr")
    WWII_VETERAN = "wwii_veteran", _("Veteran of the Second World War")
    NATIONAL_HERO = "national_hero", _("National Hero")
    PATRIOTIC_WAR_HERO = "patriotic_war_hero", _("Patriotic War Hero")


class Authority(models.TextChoices):
    DEFENCE = "defence", _("Ministry of Defence")
    LABOUR = "labour", _("Ministry of Labour and Social Protection")
    PRESIDENT = "president", _("Administration of the President")
    VETERANS_COUNCIL = "veterans_council", _("Republican Council of Veterans")


class WarDisabilityDegree(models.TextChoices):
    I = "I", _("Degree I")  # noqa: E741 — the law's own name
    II = "II", _("Degree II")
    III = "III", _("Degree III")


class StipendStatus(models.Model):
    """A status that founds a Presidential stipend, as its authority's register records it."""

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="stipend_statuses",
        verbose_name=_("person"),
        db_index=False,  # veterans_status_once leads with person
    )
    category = models.CharField(_("category"), max_length=24, choices=StipendCategory.choices)
    # War-disabled and 20 January disabled only: the degree the stipend's amount follows.
    degree = models.CharField(
        _("degree"), max_length=3, choices=WarDisabilityDegree.choices, blank=True, default=""
    )
    # Martyrs' families only: the martyr whose family member `person` is.
    martyr = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("martyr"),
        null=True,
        blank=True,
    )
    authority = models.CharField(_("authority"), max_length=20, choices=Authority.choices)
    recorded_on = models.DateField(_("recorded on"), db_index=True)
    document_number = models.CharField(_("document number"), max_length=40)

    class Meta:
        verbose_name = _("stipend status")
        verbose_name_plural = _("stipend statuses")
        constraints = [
            models.UniqueConstraint(fields=["person", "category"], name="veterans_status_once"),
            models.CheckConstraint(
                condition=Q(category__in=StipendCategory.values), name="veterans_category_valid"
            ),
            # The degree is the disabled categories' and only theirs.
            models.CheckConstraint(
                condition=(
                    Q(category__in=["war_disabled", "january_20_disabled"])
                    & Q(degree__in=WarDisabilityDegree.values)
                )
                | (~Q(category__in=["war_disabled", "january_20_disabled"]) & Q(degree="")),
                name="veterans_degree_for_disabled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.category} ({self.recorded_on})"
