"""Fərdi hesab: a minimal individual insurance account — enough for the pension rules.

`Contribution` rows are the monthly mandatory social-insurance contributions; `InsuranceAccount`
is the per-person aggregate the rules read (insurance record in months, pension capital on the
insurance sub-account, capital for the pre-2006 record). The full insurance subsystem comes later;
the synthetic generator fills the aggregate directly (set-based), `contribution_record` keeps
both in step for single contributions.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InsuranceAccount(models.Model):
    """Fərdi uçot hesabı: the aggregate of a person's insurance record and pension capital."""

    person = models.OneToOneField(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="insurance_account",
        verbose_name=_("person"),
    )
    record_months = models.PositiveIntegerField(_("insurance record (months)"), default=0)
    pension_capital_qepik = models.BigIntegerField(_("pension capital (qəpik)"), default=0)
    pre_2006_capital_qepik = models.BigIntegerField(
        _("capital for the record before 2006 (qəpik)"), default=0
    )
    updated_on = models.DateField(_("updated on"))
    # The first day of the first registered employment contract, which opened the account
    # (docs/domain.md §6); accounts of people who never had a registered contract have none.
    opened_on = models.DateField(_("opened on"), null=True, blank=True)

    class Meta:
        verbose_name = _("insurance account")
        verbose_name_plural = _("insurance accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(pension_capital_qepik__gte=0) & Q(pre_2006_capital_qepik__gte=0),
                name="insurance_account_capital_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.record_months} months"


class Contribution(models.Model):
    """Məcburi dövlət sosial sığorta haqqı: one month's contribution for a person."""

    # No index of its own: the unique (person, month, employer) index leads with the person and
    # serves every read by person; a second index only slowed the monthly accrual's insert of
    # 1.9 M rows (bench/labour.py).
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("person"),
        db_index=False,
    )
    month_on = models.DateField(_("month (first day)"))
    amount_qepik = models.BigIntegerField(_("amount (qəpik)"))
    employer_voen = models.CharField(_("employer VÖEN"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month_on", "employer_voen"], name="insurance_contribution_once"
            ),
            models.CheckConstraint(
                condition=Q(amount_qepik__gte=0), name="insurance_contribution_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month_on:%Y-%m}: {self.amount_qepik}"
