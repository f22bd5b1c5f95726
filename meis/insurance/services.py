"""Writes of the individual account."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from meis.insurance.models import Contribution, InsuranceAccount
from meis.registry.models import Person

# 90 % of paid contributions is credited to the insurance sub-account since 2017 (docs/domain.md §3).
CREDITED_SHARE = Decimal("0.9")


def contribution_record(
    *, person: Person, month_on: datetime.date, amount_qepik: int, employer_voen: str = ""
) -> Contribution:
    """Record one month's contribution and update the account (record +1 month if new month)."""
    month_on = month_on.replace(day=1)
    with transaction.atomic():
        account, _ = InsuranceAccount.objects.select_for_update().get_or_create(
            person=person, defaults={"updated_on": month_on}
        )
        is_new_month = not Contribution.objects.filter(person=person, month_on=month_on).exists()
        contribution = Contribution.objects.create(
            person=person, month_on=month_on, amount_qepik=amount_qepik, employer_voen=employer_voen
        )
        credited = int(amount_qepik * CREDITED_SHARE)
        InsuranceAccount.objects.filter(pk=account.pk).update(
            record_months=F("record_months") + (1 if is_new_month else 0),
            pension_capital_qepik=F("pension_capital_qepik") + credited,
            updated_on=month_on,
        )
        return contribution
