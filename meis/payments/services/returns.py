"""A bank's statement of a released run: credited and returned payments, reconciled.

    statement = statement_import(run=run, content=data, file_name="camt054.xml", actor=admin)

Everything is checked before anything is written, and then written in one transaction: the
file parses safely and adds up to its own control totals (`meis.payments.statements`); it is
not a file or a bank message imported before; it debits the ministry's account; every entry
names a payment of *this* run that was sent (by its EndToEndId `YYYYMM-<item>`), for exactly
the amount sent, all at one bank, none reported before. Otherwise a `PaymentError` says which
entry is wrong and nothing is written: no payment is reconciled twice.

Then, set-based: one outcome per entry (COPY); each returned payment's account is marked
`returned_at` — later payrolls hold that person's awards (status `returned`) until a new account
is recorded — and a task for payments staff is opened per returned payment.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

import polars as pl
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.access import actor_roles
from meis.accounts.roles import Role
from meis.audit.services import audit_record
from meis.core import bulk
from meis.payments.models import (
    ItemStatus,
    OutcomeStatus,
    PaymentTask,
    PayrollRun,
    RunState,
    Statement,
    TaskKind,
)
from meis.payments.services.errors import PaymentError
from meis.payments.services.files import DEBTOR_IBAN, SENT_SQL
from meis.payments.statements import (
    BankStatement,
    StatementInvalid,
    statement_parse,
)

Actor = User | AnonymousUser | None
# Entries named in a refusal: enough to find them, not a wall of numbers.
SHOWN = 5

_ITEMS_SQL = f"""
SELECT i.id, i.run_id, i.status, {SENT_SQL}, i.account_id, acc.bank_id, i.person_id,
       o.id IS NOT NULL
FROM payments_payrollitem i
LEFT JOIN payments_paymentaccount acc ON acc.id = i.account_id
LEFT JOIN payments_paymentoutcome o ON o.item_id = i.id
WHERE i.id {{ids}}
"""  # noqa: S608 — SENT_SQL is a constant
_ITEMS_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "run_id": pl.Int64(),
    "status": pl.String(),
    "sent_qepik": pl.Int64(),
    "account_id": pl.Int64(),
    "bank_id": pl.Int64(),
    "person_id": pl.Int64(),
    "reported": pl.Boolean(),
}


def statement_import(*, run: PayrollRun, content: bytes, file_name: str, actor: Actor) -> Statement:
    """Import a bank's statement of `run`'s payments; refused whole on any bad entry."""
    if not isinstance(actor, User) or Role.ADMINISTRATOR not in actor_roles(actor):
        raise PaymentError(
            _("Only an administrator may import a bank statement."), code="not_administrator"
        )
    try:
        parsed = statement_parse(content)
    except StatementInvalid as invalid:
        raise PaymentError(invalid.message, code=invalid.code) from None
    digest = hashlib.sha256(content).hexdigest()
    try:
        with transaction.atomic():
            run = PayrollRun.objects.select_for_update().get(pk=run.pk)
            _run_check(run, parsed, digest)
            items = _items_check(run, parsed)
            return _write(run, parsed, items, digest, file_name, actor)
    except IntegrityError:  # the same file or message imported at the same moment
        raise _duplicate(digest) from None


def _month(run: PayrollRun) -> str:
    return f"{run.month:%m.%Y}"


def _run_check(run: PayrollRun, parsed: BankStatement, digest: str) -> None:
    if run.state != RunState.RELEASED:
        raise PaymentError(
            _(
                "The files of the payroll of %(month)s are not released yet, so no bank can "
                "have a statement of them."
            )
            % {"month": _month(run)},
            code="not_released",
        )
    if Statement.objects.filter(sha256=digest).exists():
        raise _duplicate(digest)
    if parsed.account_iban != DEBTOR_IBAN:
        raise PaymentError(
            _(
                "The statement is of the account %(iban)s, not of the ministry's account "
                "%(ours)s that the payment files debit."
            )
            % {"iban": parsed.account_iban or "—", "ours": DEBTOR_IBAN},
            code="wrong_account",
        )
    prefix = f"{run.month:%Y%m}-"
    others = sorted(
        {e.end_to_end_id[:6] for e in parsed.entries if not e.end_to_end_id.startswith(prefix)}
    )
    if others:
        month = others[0]
        shown = f"{month[4:6]}.{month[:4]}" if month.isdigit() else month
        raise PaymentError(
            _(
                "This statement is for another payroll (%(other)s), not for %(month)s. Open "
                "that month's payroll and import it there."
            )
            % {"other": shown, "month": _month(run)},
            code="other_run",
        )
    repeated = [
        key for key, times in Counter(e.end_to_end_id for e in parsed.entries).items() if times > 1
    ]
    if repeated:
        raise PaymentError(
            _("The statement reports the same payment more than once: %(ids)s.")
            % {"ids": ", ".join(repeated[:SHOWN])},
            code="repeated_entry",
        )


def _items_check(run: PayrollRun, parsed: BankStatement) -> pl.DataFrame:
    prefix = len(f"{run.month:%Y%m}-")
    ids: list[int] = []
    for entry in parsed.entries:
        tail = entry.end_to_end_id[prefix:]
        if not tail.isdigit() or len(tail) > 18:
            raise PaymentError(
                _(
                    "%(id)s is not an EndToEndId that MEİS wrote: it is the month and the "
                    "payment's number, e.g. %(example)s."
                )
                % {"id": entry.end_to_end_id[:35], "example": f"{run.month:%Y%m}-1017"},
                code="unknown_payment",
            )
        ids.append(int(tail))
    found = bulk.frame_read_ids(_ITEMS_SQL, ids, _ITEMS_SCHEMA)
    entries = pl.DataFrame(
        {
            "id": ids,
            "end_to_end_id": [e.end_to_end_id for e in parsed.entries],
            "amount_qepik": [e.amount_qepik for e in parsed.entries],
        },
        schema={"id": pl.Int64(), "end_to_end_id": pl.String(), "amount_qepik": pl.Int64()},
    )
    joined = entries.join(found, on="id", how="left")
    _refuse(
        joined.filter(pl.col("run_id").is_null() | (pl.col("run_id") != run.pk)),
        _("The statement names payments that are not in the payroll of %(month)s: %(ids)s."),
        "unknown_payment",
        run,
    )
    _refuse(
        joined.filter(pl.col("status") != ItemStatus.DUE),
        _("The statement names payments of %(month)s that were held, not sent: %(ids)s."),
        "not_sent",
        run,
    )
    _refuse(
        joined.filter(pl.col("reported")),
        _(
            "These payments of %(month)s were already reconciled by an earlier statement: "
            "%(ids)s. Nothing was imported, so nothing is counted twice."
        ),
        "already_reconciled",
        run,
    )
    wrong = joined.filter(pl.col("amount_qepik") != pl.col("sent_qepik"))
    if wrong.height:
        first = wrong.row(0, named=True)
        raise PaymentError(
            _(
                "The amount of %(id)s is %(stated)s AZN in the statement but %(sent)s AZN was "
                "sent (%(count)s entries differ). Ask the bank for a corrected statement."
            )
            % {
                "id": first["end_to_end_id"],
                "stated": _azn(first["amount_qepik"]),
                "sent": _azn(first["sent_qepik"]),
                "count": wrong.height,
            },
            code="amount_differs",
        )
    banks = joined["bank_id"].unique().to_list()
    if len(banks) > 1:
        raise PaymentError(
            _(
                "The statement reports payments sent to %(count)s different banks; a bank's "
                "statement covers its own file only."
            )
            % {"count": len(banks)},
            code="mixed_banks",
        )
    return joined


def _refuse(rows: pl.DataFrame, message: str, code: str, run: PayrollRun) -> None:
    if rows.height:
        shown = ", ".join(rows["end_to_end_id"].head(SHOWN).to_list())
        if rows.height > SHOWN:
            shown += " " + _("and %(more)s more") % {"more": rows.height - SHOWN}
        raise PaymentError(message % {"month": _month(run), "ids": shown}, code=code)


def _duplicate(digest: str) -> PaymentError:
    earlier = Statement.objects.filter(sha256=digest).first()
    if earlier is None:
        return PaymentError(
            _(
                "The bank's message of this statement was already imported; nothing was "
                "imported twice."
            ),
            code="duplicate",
        )
    return PaymentError(
        _("This statement was already imported on %(day)s (%(name)s); nothing was imported twice.")
        % {
            "day": f"{timezone.localtime(earlier.imported_at):%d.%m.%Y %H:%M}",
            "name": earlier.file_name,
        },
        code="duplicate",
    )


def _write(
    run: PayrollRun,
    parsed: BankStatement,
    items: pl.DataFrame,
    digest: str,
    file_name: str,
    actor: User,
) -> Statement:
    if items.height == 0:
        raise PaymentError(
            _("The statement has no entries: there is nothing to reconcile."), code="no_entries"
        )
    bank_id = int(items["bank_id"][0])
    if Statement.objects.filter(bank_id=bank_id, message_id=parsed.message_id).exists():
        raise PaymentError(
            _("The bank's message %(id)s was already imported; nothing was imported twice.")
            % {"id": parsed.message_id},
            code="duplicate",
        )
    reasons = {e.end_to_end_id: e.reason_code for e in parsed.entries}
    returned = {e.end_to_end_id for e in parsed.entries if e.is_returned}
    frame = items.with_columns(
        is_returned=pl.col("end_to_end_id").is_in(list(returned)),
        reason_code=pl.col("end_to_end_id").replace_strict(reasons, return_dtype=pl.String()),
    )
    back = frame.filter(pl.col("is_returned"))
    statement = Statement.objects.create(
        run=run,
        bank_id=bank_id,
        format=parsed.format,
        message_id=parsed.message_id,
        file_name=file_name[:200],
        sha256=digest,
        imported_by=actor,
        credited_count=frame.height - back.height,
        credited_qepik=int(frame.filter(~pl.col("is_returned"))["amount_qepik"].sum()),
        returned_count=back.height,
        returned_qepik=int(back["amount_qepik"].sum()),
    )
    bulk.frame_write(
        "payments_paymentoutcome",
        frame.select(
            statement_id=pl.lit(statement.pk, dtype=pl.Int64()),
            item_id=pl.col("id"),
            status=pl.when(pl.col("is_returned"))
            .then(pl.lit(OutcomeStatus.RETURNED.value))
            .otherwise(pl.lit(OutcomeStatus.CREDITED.value)),
            amount_qepik=pl.col("amount_qepik"),
            reason_code=pl.col("reason_code"),
        ),
    )
    if back.height:
        _returned_hold(back, actor)
    audit_record(
        action="payments.statement_import",
        actor=actor,
        actor_role=Role.ADMINISTRATOR,
        obj=statement,
        purpose="Bank statement of a payroll's payments imported and reconciled",
        details=_summary(statement),
    )
    return statement


def _returned_hold(back: pl.DataFrame, actor: User) -> None:
    """Hold the accounts the money came back from; a task per returned payment."""
    now = timezone.now()
    accounts = back["account_id"].unique().to_list()
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(accounts))
        cursor.execute(
            "UPDATE payments_paymentaccount SET returned_at = %s "  # noqa: S608
            f"WHERE id IN ({placeholders}) AND returned_at IS NULL",
            [now, *accounts],
        )
    PaymentTask.objects.bulk_create(
        PaymentTask(
            kind=TaskKind.RETURNED_PAYMENT,
            person_id=row["person_id"],
            item_id=row["id"],
            reason_code=row["reason_code"],
            amount_qepik=row["amount_qepik"],
            details=row["end_to_end_id"],
        )
        for row in back.iter_rows(named=True)
    )


def _summary(statement: Statement) -> dict[str, Any]:
    return {
        "run": statement.run_id,
        "bank": statement.bank_id,
        "message_id": statement.message_id,
        "sha256": statement.sha256,
        "credited": [statement.credited_count, statement.credited_qepik],
        "returned": [statement.returned_count, statement.returned_qepik],
    }


def _azn(qepik: int) -> str:
    return f"{qepik // 100}.{qepik % 100:02d}"
