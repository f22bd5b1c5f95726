"""Reads of payments: a person's account and payments, the payroll runs and their files."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import polars as pl
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from meis.core import bulk
from meis.payments.models import (
    AccountChange,
    Bank,
    Branch,
    CardOrder,
    CardState,
    ItemStatus,
    OutcomeStatus,
    PaymentAccount,
    PaymentFile,
    PaymentOutcome,
    PaymentTask,
    PayrollItem,
    PayrollRun,
    RunState,
    Statement,
)
from meis.payments.services.files import SENT_SQL
from meis.registry.models import Person


@dataclass(frozen=True)
class Payment:
    """One month's payment of one award, as the person sees it."""

    month: object
    kind: str
    amount_qepik: int
    arrears_qepik: int
    recovered_qepik: int
    bank: str
    status: str
    status_label: str

    @property
    def total_qepik(self) -> int:
        return self.amount_qepik + self.arrears_qepik - self.recovered_qepik


def account_current(*, person: Person) -> PaymentAccount | None:
    return (
        PaymentAccount.objects.select_related("bank", "branch")
        .filter(person=person, ended_at__isnull=True)
        .first()
    )


def account_history(*, person: Person) -> QuerySet[PaymentAccount]:
    """Every account the person's awards were paid to, the current first."""
    return PaymentAccount.objects.select_related(
        "bank", "branch", "changed_by__citizen_account"
    ).filter(person=person)


def recipient_get(*, person_id: int) -> Person | None:
    """A person whose account staff keep (the caller audits the read)."""
    return Person.objects.filter(pk=person_id).first()


def account_change_pending(*, person: Person, change_id: int) -> AccountChange | None:
    """The person's own unconfirmed (or just confirmed) change: None for anyone else's."""
    return (
        AccountChange.objects.select_related("bank", "branch", "person", "account")
        .filter(pk=change_id, person=person)
        .first()
    )


def branches_listed() -> QuerySet[Branch]:
    """The directory's branches of active banks, by bank then name (the choice on the forms)."""
    return (
        Branch.objects.select_related("bank")
        .filter(bank__is_active=True)
        .order_by("bank__name", "name", "pk")
    )


def card_order_open(*, person: Person) -> CardOrder | None:
    return (
        CardOrder.objects.select_related("bank", "branch")
        .filter(person=person, state=CardState.ORDERED)
        .first()
    )


def card_orders_open(*, limit: int = 200) -> QuerySet[CardOrder]:
    """Cards awaiting the bank's confirmation, oldest first (personal data: audit the read)."""
    return (
        CardOrder.objects.select_related("person", "bank", "branch")
        .filter(state=CardState.ORDERED)
        .order_by("ordered_at", "pk")[:limit]
    )


def card_orders_open_count() -> int:
    return CardOrder.objects.filter(state=CardState.ORDERED).count()


def payments_for_person(*, person: Person, limit: int = 36) -> list[Payment]:
    items = (
        PayrollItem.objects.select_related("run", "account__bank", "outcome")
        .filter(award__person=person)  # through the (award, run) index
        .order_by("-run__month", "id")[:limit]
    )
    return [
        Payment(
            month=item.run.month,
            kind=item.kind,
            amount_qepik=item.amount_qepik,
            arrears_qepik=item.arrears_qepik,
            recovered_qepik=item.recovered_qepik,
            bank=item.account.bank.name if item.account else "",
            status=item.status,
            status_label=_status_label(item),
        )
        for item in items
    ]


def _status_label(item: PayrollItem) -> str:
    if hasattr(item, "outcome"):  # the bank's statement said what became of it
        return str(item.outcome.get_status_display())
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


@dataclass(frozen=True)
class BankReconciliation:
    """One bank's file of a run against what its statements reported, to the qəpik."""

    bank: str
    sent_count: int
    sent_qepik: int
    credited_count: int
    credited_qepik: int
    returned_count: int
    returned_qepik: int

    @property
    def unreported_count(self) -> int:
        return self.sent_count - self.credited_count - self.returned_count

    @property
    def difference_qepik(self) -> int:
        """Sent but neither credited nor returned yet: 0 when the file is reconciled."""
        return self.sent_qepik - self.credited_qepik - self.returned_qepik

    @property
    def is_reconciled(self) -> bool:
        return self.unreported_count == 0 and self.difference_qepik == 0


_OUTCOMES_SQL = """
SELECT s.bank_id, o.status, COUNT(*), COALESCE(SUM(o.amount_qepik), 0)
FROM payments_paymentoutcome o JOIN payments_statement s ON s.id = o.statement_id
WHERE s.run_id = %s GROUP BY s.bank_id, o.status
"""


def run_reconciliation(*, run: PayrollRun) -> list[BankReconciliation]:
    with connection.cursor() as cursor:
        cursor.execute(_OUTCOMES_SQL, [run.pk])
        reported = {(bank, status): (int(n), int(s)) for bank, status, n, s in cursor.fetchall()}
    rows = []
    for payment_file in run_files(run=run):
        credited = reported.get((payment_file.bank_id, OutcomeStatus.CREDITED), (0, 0))
        returned = reported.get((payment_file.bank_id, OutcomeStatus.RETURNED), (0, 0))
        rows.append(
            BankReconciliation(
                bank=payment_file.bank.name,
                sent_count=payment_file.item_count,
                sent_qepik=payment_file.control_sum_qepik,
                credited_count=credited[0],
                credited_qepik=credited[1],
                returned_count=returned[0],
                returned_qepik=returned[1],
            )
        )
    return rows


def run_statements(*, run: PayrollRun) -> QuerySet[Statement]:
    return Statement.objects.select_related("bank", "imported_by").filter(run=run)


def run_returned(*, run: PayrollRun, limit: int = 200) -> QuerySet[PaymentOutcome]:
    """The run's returned payments with their recipients (personal data: audit the read)."""
    return (
        PaymentOutcome.objects.select_related("item__person", "statement__bank")
        .filter(statement__run=run, status=OutcomeStatus.RETURNED)
        .order_by("item_id")[:limit]
    )


def tasks_open(*, limit: int = 200) -> QuerySet[PaymentTask]:
    """Open tasks, oldest first (personal data: audit the read)."""
    return (
        PaymentTask.objects.select_related("person")
        .filter(resolved_at__isnull=True)
        .order_by("created_at", "id")[:limit]
    )


@dataclass(frozen=True)
class PaidTotal:
    """Paid in one month for one scheme (award kind) in one region: no personal data."""

    month: datetime.date
    kind: str
    region: str
    count: int
    paid_qepik: int


_PAID_SQL = f"""
SELECT r.month, i.kind, p.region, COUNT(*), SUM({SENT_SQL})
FROM payments_payrollrun r
JOIN payments_payrollitem i ON i.run_id = r.id
JOIN registry_person p ON p.id = i.person_id
WHERE r.state = 'released' AND r.month >= %s AND r.month <= %s AND i.status = 'due'
  AND NOT EXISTS (SELECT 1 FROM payments_paymentoutcome o
                  WHERE o.item_id = i.id AND o.status = 'returned')
GROUP BY r.month, i.kind, p.region
ORDER BY r.month, i.kind, p.region
"""  # noqa: S608 — SENT_SQL is a constant


def paid_by_scheme_and_region(
    *, month_from: datetime.date, month_to: datetime.date
) -> list[PaidTotal]:
    """What released payrolls paid (less what banks returned), by month, scheme and region —
    for the statistics pages, which apply their own small-count suppression."""
    with connection.cursor() as cursor:
        cursor.execute(_PAID_SQL, [month_from.replace(day=1), month_to.replace(day=1)])
        rows = cursor.fetchall()
    return [
        PaidTotal(
            month=month if isinstance(month, datetime.date) else datetime.date.fromisoformat(month),
            kind=kind,
            region=region,
            count=int(count),
            paid_qepik=int(paid),
        )
        for month, kind, region, count, paid in rows
    ]


# The current account's bank and branch; for a person without one, the bank and branch where a
# card is being issued for them. `{ids}` is filled by `bulk.frame_read_ids`.
_BANK_BRANCH_SQL = """
WITH wanted AS (SELECT id FROM registry_person WHERE id {ids})
SELECT acc.person_id, b.name, br.name
FROM wanted w
JOIN payments_paymentaccount acc ON acc.person_id = w.id AND acc.ended_at IS NULL
JOIN payments_bank b ON b.id = acc.bank_id
LEFT JOIN payments_branch br ON br.id = acc.branch_id
UNION ALL
SELECT o.person_id, b.name, br.name
FROM wanted w
JOIN payments_cardorder o ON o.person_id = w.id AND o.state = 'ordered'
JOIN payments_bank b ON b.id = o.bank_id
JOIN payments_branch br ON br.id = o.branch_id
WHERE NOT EXISTS (SELECT 1 FROM payments_paymentaccount acc
                  WHERE acc.person_id = o.person_id AND acc.ended_at IS NULL)
"""
_BANK_BRANCH_SCHEMA: dict[str, pl.DataType] = {
    "person_id": pl.Int64(),
    "bank": pl.String(),
    "branch": pl.String(),
}


def bank_branch_names(person_ids: pl.Series) -> pl.DataFrame:
    """`person_id`, `bank_branch` ("Bank, Branch" or "Bank") of the people who have a current
    account or a card being issued: one query per chunk of ids (the award letters' resolver)."""
    ids = [int(i) for i in person_ids.drop_nulls().to_list()]
    frame = bulk.frame_read_ids(_BANK_BRANCH_SQL, ids, _BANK_BRANCH_SCHEMA)
    return frame.unique("person_id", keep="first").select(
        "person_id",
        bank_branch=pl.when(pl.col("branch").is_null())
        .then(pl.col("bank"))
        .otherwise(pl.concat_str(pl.col("bank"), pl.col("branch"), separator=", ")),
    )
