"""Reads of what a person was paid, for the payment certificate (`meis.payments.certificate`).

A payment received is an item of a released run (its file went to the bank), sent (`due`),
that the bank did not return: the amount the bank was told to credit — the month's amount
and arrears, less what was withheld for an overpayment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from meis.payments.models import ItemStatus, OutcomeStatus, PayrollItem, RunState
from meis.registry.models import Person


@dataclass(frozen=True)
class PaymentReceived:
    month: datetime.date
    kind: str
    sent_qepik: int
    bank_code: str
    bank_name: str


def payments_received(
    *, person: Person, first_month: datetime.date, last_month: datetime.date
) -> list[PaymentReceived]:
    """The person's payments of the months from `first_month` to `last_month` (both included),
    oldest first; through the (award, run) index, as "My payments" reads them."""
    items = (
        PayrollItem.objects.select_related("run", "account__bank", "outcome")
        .filter(
            award__person=person,
            run__state=RunState.RELEASED,
            run__month__gte=first_month.replace(day=1),
            run__month__lte=last_month.replace(day=1),
            status=ItemStatus.DUE,
        )
        .exclude(outcome__status=OutcomeStatus.RETURNED)
        .order_by("run__month", "kind", "id")
    )
    return [
        PaymentReceived(
            month=item.run.month,
            kind=item.kind,
            sent_qepik=item.amount_qepik + item.arrears_qepik - item.recovered_qepik,
            bank_code=item.account.bank.code if item.account else "",
            bank_name=item.account.bank.name if item.account else "",
        )
        for item in items
    ]
