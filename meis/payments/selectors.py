"""Reads of payments: a person's account and payments, the payroll runs and their files."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from meis.payments.models import (
    Bank,
    ItemStatus,
    PaymentAccount,
    PaymentFile,
    PayrollItem,
    PayrollRun,
    RunState,
)
from meis.registry.models import Person


@dataclass(frozen=True)
class Payment:
    """One month's payment of one award, as the person sees it."""

    month: object
    kind: str
    amount_qepik: int
    arrears_qepik: int
    bank: str
    status: str
    status_label: str

    @property
    def total_qepik(self) -> int:
        return self.amount_qepik + self.arrears_qepik


def account_current(*, person: Person) -> PaymentAccount | None:
    return (
        PaymentAccount.objects.select_related("bank", "branch")
        .filter(person=person, ended_at__isnull=True)
        .first()
    )


def account_history(*, person: Person) -> QuerySet[PaymentAccount]:
    return PaymentAccount.objects.select_related("bank").filter(person=person)


def payments_for_person(*, person: Person, limit: int = 36) -> list[Payment]:
    items = (
        PayrollItem.objects.select_related("run", "account__bank")
        .filter(award__person=person)  # through the (award, run) index
        .order_by("-run__month", "id")[:limit]
    )
    return [
        Payment(
            month=item.run.month,
            kind=item.kind,
            amount_qepik=item.amount_qepik,
            arrears_qepik=item.arrears_qepik,
            bank=item.account.bank.name if item.account else "",
            status=item.status,
            status_label=_status_label(item),
        )
        for item in items
    ]


def _status_label(item: PayrollItem) -> str:
    if item.status == ItemStatus.DUE and item.run.state == RunState.RELEASED:
        return str(_("Sent to the bank"))
    if item.status == ItemStatus.DUE:
        return str(_("To be paid"))
    return str(item.get_status_display())


def run_list(*, limit: int = 24) -> QuerySet[PayrollRun]:
    return PayrollRun.objects.select_related("computed_by", "approved_by").order_by("-month")[
        :limit
    ]


def run_get(*, run_id: int) -> PayrollRun:
    return PayrollRun.objects.get(pk=run_id)


def run_files(*, run: PayrollRun) -> QuerySet[PaymentFile]:
    return PaymentFile.objects.select_related("bank").filter(run=run).order_by("bank__name")


def file_get(*, file_id: int) -> PaymentFile:
    return PaymentFile.objects.select_related("run", "bank").get(pk=file_id)


def banks_listed() -> QuerySet[Bank]:
    return Bank.objects.filter(is_active=True).order_by("name")
