"""Writes of the individual account: opening it, and recording single contributions.

The monthly accrual from the contracts register (`meis.labour.accrual`) writes the same tables
set-based; it credits the same `CREDITED_SHARE` and counts record months the same way.
"""

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


def account_open(*, person_id: int, opened_on: datetime.date) -> bool:
    """Open the person's individual account if they have none (docs/domain.md §6: registering
    the first employment contract opens it); returns whether this call opened it.

    An account made before the register (by an earlier contribution or the generator) is kept
    as it is, only given `opened_on` when it has none, so every account says when it opened.
    Safe to call on every registration, and twice at once: the account is one row per person.
    """
    with transaction.atomic():
        _, created = InsuranceAccount.objects.get_or_create(
            person_id=person_id, defaults={"updated_on": opened_on, "opened_on": opened_on}
        )
        if not created:
            InsuranceAccount.objects.filter(person_id=person_id, opened_on__isnull=True).update(
                opened_on=opened_on
            )
    return created
