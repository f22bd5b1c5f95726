"""The monthly payroll: compute what every award pays for a month, set-based; approve (four eyes).

    run = payroll_compute(month=date(2026, 3, 1), actor=admin)   # one INSERT … SELECT
    payroll_approve(run=run, actor=other_admin)                   # a second administrator

What a month pays, award by award (one statement over `awards_award`, no per-award Python):

- **the month's amount, prorated by days** when the award starts or ends within the month:
  `amount × days paid ÷ days in month`, rounded half up to the qəpik; a whole month pays the
  amount exactly. A one-off award pays its amount once, in the month it starts.
- **nothing after the end or the death**: an award ended before the month, or a recipient who
  died before it, is not in the run. A death within the month pays that month in full: the law
  ends the awards of the dead from the 1st of the following month (`awards.services.ending`).
- **suspended awards are held**: an item with status `held` (and its amount), not paid; an
  award whose recipient has no payment account is held too (`no_account`, or `card_pending`
  while the paying bank issues them a card: `services/cards.py`), and so is one whose
  account a bank returned a payment from (`returned`, `services/returns.py`) until a new
  account is recorded.
- **arrears** (a simple rule, stated here and in the issue's report): an award granted after the
  previous payroll was computed (no earlier run has an item of it) and starting before this
  month is owed what each earlier payroll month since its start would have paid it (prorated
  the same way). Months before the first payroll of this system are not owed (the former
  system paid them).
- **arrears of an appeal won** (`appeal_arrears_add`): an appeal that raises an award held
  replaces it from the month of the decision with a new award that `supersedes` it, and the
  decision records the difference owed for the months before (`record["arrears"]`,
  `cases.services.awarding`). The new award's first payment carries that difference, once: an
  award with an item in an earlier run has had it.
- **held months paid later** (`held_arrears_add`): once the reason of a hold is gone (a new
  account recorded, the suspension lifted), the next payment of the award carries every month
  held since its last payment, cut to the award's end or the death if recorded since; an award
  that ended meanwhile gets an item of arrears alone. Nothing to the dead, nothing twice.
- **overpayments** of earlier released runs (a death or an end recorded late) are found and,
  within the legal limit, withheld from this month's payments of the same person
  (`services/overpayments.py`); the item keeps its amount and records what was withheld.

A run is one per month (unique `month`) and an item one per (run, award): re-running a month is
refused, and the database refuses a second run even from two administrators at once. Items
are inserted in award order, the order of their unique (award, run) index.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.access import actor_roles
from meis.accounts.roles import Role
from meis.audit.services import audit_record
from meis.core import bulk
from meis.payments.models import ItemStatus, PayrollItem, PayrollRun, RunState
from meis.payments.services.errors import PaymentError

Actor = User | AnonymousUser | None
# For the joins and the sort of a whole month (PostgreSQL; the default 4 MB spills to disk).
WORK_MEM = "256MB"

# Days paid in the month: from the later of the start and the 1st to the earlier of the end and
# the month's last day, both included.
_DAYS = {
    "postgresql": (
        "(LEAST(COALESCE(a.end_on, %(last)s), %(last)s) - GREATEST(a.start_on, %(first)s) + 1)"
    ),
    "sqlite": (
        "(CAST(julianday(MIN(COALESCE(a.end_on, %(last)s), %(last)s))"
        " - julianday(MAX(a.start_on, %(first)s)) AS INTEGER) + 1)"
    ),
}
_COMPUTE_SQL = """
INSERT INTO payments_payrollitem
    (run_id, award_id, person_id, account_id, kind, amount_qepik, arrears_qepik, status)
SELECT %(run)s, a.id, a.person_id, acc.id, a.kind,
    CASE WHEN a.is_one_off THEN a.amount_qepik
         ELSE (a.amount_qepik * {days} * 2 + %(month_days)s) / (2 * %(month_days)s) END,
    0,
    CASE WHEN a.status = 'suspended' THEN 'held'
         WHEN acc.id IS NULL AND a.person_id IN (
             SELECT person_id FROM payments_cardorder WHERE state = 'ordered') THEN 'card_pending'
         WHEN acc.id IS NULL THEN 'no_account'
         WHEN acc.returned_at IS NOT NULL THEN 'returned' ELSE 'due' END
FROM awards_award a
LEFT JOIN payments_paymentaccount acc ON acc.person_id = a.person_id AND acc.ended_at IS NULL
WHERE a.start_on <= %(last)s
  AND (a.end_on IS NULL OR a.end_on >= %(first)s)
  AND (a.status IN ('active', 'suspended') OR (a.status = 'ended' AND a.end_on >= %(first)s))
  -- an anti-join on the few dead, not a join of every person (5 times faster at 10 M)
  AND NOT EXISTS (SELECT 1 FROM registry_person p
                  WHERE p.id = a.person_id AND p.died_on < %(first)s)
  AND (NOT a.is_one_off OR a.start_on >= %(first)s)
  AND a.amount_qepik > 0
ORDER BY a.id
"""
_ARREARS_SQL = """
SELECT i.id, a.amount_qepik, a.start_on, a.end_on, p.died_on
FROM payments_payrollitem i
JOIN awards_award a ON a.id = i.award_id
JOIN registry_person p ON p.id = i.person_id
WHERE i.run_id = %(run)s AND a.created_at >= %(since)s AND a.start_on < %(first)s
  AND NOT a.is_one_off
  -- granted after the previous run: no earlier run has an item of it (the timestamp alone,
  -- equal under a stopped clock, is only the cheap first filter)
  AND NOT EXISTS (SELECT 1 FROM payments_payrollitem e JOIN payments_payrollrun r ON r.id = e.run_id
                  WHERE e.award_id = i.award_id AND r.month < %(first)s)
"""
# Items of earlier months still unpaid — held, or sent and returned by the bank — for which no
# item of the same award was paid (`due` and not returned) in a run after it and before this
# month. A payment closes every unpaid month before it, so such a month is paid once, by the
# first payment after it. (Held items are found through their partial index, returned ones
# through their outcomes': both are few.)
_HELD_SQL = """
SELECT h.award_id, r.month, h.status, h.amount_qepik, h.arrears_qepik - h.recovered_qepik,
       a.amount_qepik, a.is_one_off,
       a.start_on, a.end_on, a.person_id, a.kind, p.died_on, cur.id, cur.status
FROM (SELECT h.id FROM payments_payrollitem h WHERE h.status <> 'due'
      UNION ALL
      SELECT o.item_id FROM payments_paymentoutcome o WHERE o.status = 'returned') unpaid
JOIN payments_payrollitem h ON h.id = unpaid.id
JOIN payments_payrollrun r ON r.id = h.run_id
JOIN awards_award a ON a.id = h.award_id
JOIN registry_person p ON p.id = a.person_id
LEFT JOIN payments_payrollitem cur ON cur.award_id = h.award_id AND cur.run_id = %(run)s
WHERE r.month < %(first)s
  AND NOT EXISTS (
      SELECT 1 FROM payments_payrollitem d JOIN payments_payrollrun dr ON dr.id = d.run_id
      WHERE d.award_id = h.award_id AND d.status = 'due'
        AND dr.month > r.month AND dr.month < %(first)s
        AND NOT EXISTS (SELECT 1 FROM payments_paymentoutcome o
                        WHERE o.item_id = d.id AND o.status = 'returned'))
ORDER BY h.award_id, r.month
"""
_ACCOUNTS_SQL = """
SELECT person_id, id FROM payments_paymentaccount
WHERE ended_at IS NULL AND returned_at IS NULL AND person_id IN ({people})
"""
_TOTALS_SQL = """
SELECT status, COUNT(*), COALESCE(SUM(amount_qepik), 0), COALESCE(SUM(arrears_qepik), 0),
       COALESCE(SUM(recovered_qepik), 0)
FROM payments_payrollitem WHERE run_id = %s GROUP BY status
"""


def month_last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def prorated(
    amount_qepik: int,
    *,
    start_on: datetime.date,
    end_on: datetime.date | None,
    died_on: datetime.date | None,
    month: datetime.date,
) -> int:
    """What an award pays for `month` (its 1st): the SQL's rule, for one award in Python."""
    last = month_last_day(month)
    if died_on is not None and died_on < month:
        return 0
    first_day, last_day = max(start_on, month), min(end_on or last, last)
    if last_day < first_day:
        return 0
    days, month_days = (last_day - first_day).days + 1, last.day
    return (amount_qepik * days * 2 + month_days) // (2 * month_days)


def _administrator(actor: Actor, message: str) -> User:
    if not isinstance(actor, User) or Role.ADMINISTRATOR not in actor_roles(actor):
        raise PaymentError(message, code="not_administrator")
    return actor


def payroll_compute(*, month: datetime.date, actor: Actor) -> PayrollRun:
    """Compute the payroll of `month` (any day of it); refused for a future or computed month."""
    user = _administrator(actor, _("Only an administrator may compute a payroll."))
    month = month.replace(day=1)
    this_month = timezone.localdate().replace(day=1)
    if month > this_month:
        raise PaymentError(
            _(
                "The payroll of %(month)s cannot be computed yet: it is a future month. Compute "
                "the current month or an earlier one."
            )
            % {"month": f"{month:%m.%Y}"},
            code="future_month",
        )
    existing = PayrollRun.objects.filter(month=month).first()
    if existing is not None:
        raise _already(existing)
    try:
        with transaction.atomic():
            run = PayrollRun.objects.create(month=month, state=RunState.COMPUTED, computed_by=user)
            items_insert(run)
            arrears_add(run)
            appeal_arrears_add(run)
            held_arrears_add(run)
            # Imported here: overpayments reuse this module's proration rule.
            from meis.payments.services.overpayments import overpayments_record, recoveries_apply

            overpayments_record(run=run)
            recoveries_apply(run)
            totals_update(run)
            audit_record(
                action="payments.payroll_compute",
                actor=user,
                actor_role=Role.ADMINISTRATOR,
                obj=run,
                purpose="Monthly payroll computed",
                details=_summary(run),
            )
    except IntegrityError:  # another administrator computed the month at the same moment
        raise _already(PayrollRun.objects.get(month=month)) from None
    return run


def _already(run: PayrollRun) -> PaymentError:
    if run.state == RunState.COMPUTED:
        return PaymentError(
            _(
                "The payroll of %(month)s is already computed and waits for approval. Approve "
                "it: computing it again would pay twice."
            )
            % {"month": f"{run.month:%m.%Y}"},
            code="already_computed",
        )
    return PaymentError(
        _("The payroll of %(month)s is already approved; it cannot be computed again.")
        % {"month": f"{run.month:%m.%Y}"},
        code="already_approved",
    )


def items_insert(run: PayrollRun) -> int:
    """One INSERT … SELECT: an item for every award the month pays or holds."""
    vendor = "postgresql" if bulk.is_postgresql() else "sqlite"
    last = month_last_day(run.month)
    params: dict[str, Any] = {
        "run": run.pk,
        "first": run.month,
        "last": last,
        "month_days": last.day,
    }
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SET LOCAL synchronous_commit = off; SET LOCAL jit = off;"
                f" SET LOCAL work_mem = '{WORK_MEM}'"
            )
        cursor.execute(_COMPUTE_SQL.format(days=_DAYS[vendor]), params)
        inserted = int(cursor.rowcount)
        if vendor == "postgresql":
            # Fresh statistics: without them the files' query plans a million index look-ups
            # for what it thinks are a few rows (21 s instead of a few at 10 M people).
            cursor.execute("ANALYZE payments_payrollitem")
        return inserted


def arrears_add(run: PayrollRun) -> int:
    """Arrears of the awards granted since the previous run, for the earlier runs' months."""
    previous = PayrollRun.objects.filter(month__lt=run.month).order_by("-month").first()
    if previous is None:
        return 0
    months = list(PayrollRun.objects.filter(month__lt=run.month).values_list("month", flat=True))
    since = connection.ops.adapt_datetimefield_value(previous.computed_at)
    params = {"run": run.pk, "since": since, "first": run.month}
    with connection.cursor() as cursor:
        cursor.execute(_ARREARS_SQL, params)
        rows = cursor.fetchall()
    updates: list[tuple[int, int]] = []
    for item_id, amount, start_on, end_on, died_on in rows:
        start_on, end_on, died_on = _date(start_on), _date(end_on), _date(died_on)
        owed = sum(
            prorated(amount, start_on=start_on, end_on=end_on, died_on=died_on, month=m)
            for m in months
            if m >= start_on.replace(day=1)
        )
        if owed:
            updates.append((owed, item_id))
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE payments_payrollitem SET arrears_qepik = %s WHERE id = %s", updates
        )
    return len(updates)


def appeal_arrears_add(run: PayrollRun) -> int:
    """The difference an appeal won owes for the months before its new award, with that award's
    first payment (held with it if the payment is held, and paid when the hold ends)."""
    # Few rows: only awards that replaced another (appeals, recalculations, renewals) are read,
    # through the index of `supersedes`, and only those whose decision recorded arrears count.
    firsts = list(
        PayrollItem.objects.filter(run=run, award__supersedes__isnull=False).values_list(
            "id", "award_id", "award__record"
        )
    )
    paid_before = set(
        PayrollItem.objects.filter(award_id__in=[award_id for _, award_id, _ in firsts])
        .exclude(run=run)
        .values_list("award_id", flat=True)
    )
    updates = []
    for item_id, award_id, record in firsts:
        arrears = (record or {}).get("arrears") if isinstance(record, dict) else None
        owed = int(arrears.get("qepik") or 0) if isinstance(arrears, dict) else 0
        if owed > 0 and award_id not in paid_before:
            updates.append((owed, item_id))
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE payments_payrollitem SET arrears_qepik = arrears_qepik + %s WHERE id = %s",
            updates,
        )
    return len(updates)


def held_arrears_add(run: PayrollRun) -> int:
    """Pay the months held earlier (suspended, no account, a returned account) once the reason
    is gone: as arrears of this month's payment of the award, or, for an award this month no
    longer pays (it ended meanwhile), as an item of arrears alone. A payment the bank returned
    (closed account) is paid again the same way, less what it withheld for an overpayment.

    A held month is owed what it held, but no more than the award pays for that month now (an
    end or a death recorded since cuts it); nothing is paid to a recipient who died before this
    month, nor while the award is still held. Stateless and exactly once: a month is owed only
    until a later run pays the award, and that payment carries it.
    """
    if not PayrollRun.objects.filter(month__lt=run.month).exists():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_HELD_SQL, {"run": run.pk, "first": run.month})
        rows = cursor.fetchall()
    owed: dict[int, int] = {}
    current: dict[int, int] = {}  # award → this run's item paying it
    orphans: dict[int, tuple[int, str]] = {}  # award not in this run → (person, kind)
    for row in rows:
        (award_id, month, held_status, held_amount, held_arrears, amount, is_one_off) = row[:7]
        start_on, end_on, person_id, kind, died_on, item_id, item_status = row[7:]
        month, start_on = _date(month), _date(start_on)
        end_on, died_on = _date(end_on), _date(died_on)
        if died_on is not None and died_on < run.month:
            continue  # death: the held months are not paid (the estate is another matter)
        if held_status == ItemStatus.DUE:
            held_status = ItemStatus.RETURNED  # sent, and returned by the bank
        if item_id is None:
            if held_status == ItemStatus.HELD:
                continue  # suspended, then ended: the suspension was never lifted
            orphans[award_id] = (person_id, kind)
        elif item_status != ItemStatus.DUE:
            continue  # still held this month: paid when the reason goes away
        else:
            current[award_id] = item_id
        if is_one_off:
            now_pays = held_amount if (end_on is None or end_on >= start_on) else 0
        else:
            now_pays = prorated(
                amount, start_on=start_on, end_on=end_on, died_on=died_on, month=month
            )
        owed[award_id] = owed.get(award_id, 0) + min(int(held_amount), now_pays) + int(held_arrears)
    updates = [(owed[a], item_id) for a, item_id in current.items() if owed.get(a)]
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE payments_payrollitem SET arrears_qepik = arrears_qepik + %s WHERE id = %s",
            updates,
        )
    accounts = _accounts_usable({person for person, _kind in orphans.values()})
    new_items = [
        PayrollItem(
            run=run,
            award_id=award_id,
            person_id=person_id,
            account_id=accounts[person_id],
            kind=kind,
            amount_qepik=0,
            arrears_qepik=owed[award_id],
            status=ItemStatus.DUE,
        )
        for award_id, (person_id, kind) in orphans.items()
        if owed.get(award_id) and person_id in accounts
    ]
    PayrollItem.objects.bulk_create(new_items)
    return len(updates) + len(new_items)


def _accounts_usable(people: set[int]) -> dict[int, int]:
    """The current account of each person, unless a bank returned a payment from it."""
    if not people:
        return {}
    found: dict[int, int] = {}
    ordered = sorted(people)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        sql = _ACCOUNTS_SQL.format(people=", ".join(["%s"] * len(chunk)))
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)
            found.update({int(person): int(account) for person, account in cursor.fetchall()})
    return found


def _date(value: object) -> Any:
    """SQLite returns dates as ISO text through a raw cursor."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def totals_update(run: PayrollRun) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_TOTALS_SQL, [run.pk])
        rows = cursor.fetchall()
    run.items_due = run.items_held = run.total_qepik = run.arrears_qepik = run.held_qepik = 0
    run.recovered_qepik = 0
    for status, count, summed, summed_arrears, summed_recovered in rows:
        # PostgreSQL sums to numeric
        amount, arrears, recovered = int(summed), int(summed_arrears), int(summed_recovered)
        if status == ItemStatus.DUE:
            run.items_due += count
            run.total_qepik += amount + arrears - recovered
            run.arrears_qepik += arrears
            run.recovered_qepik += recovered
        else:
            run.items_held += count
            run.held_qepik += amount + arrears
    run.save(
        update_fields=[
            "items_due",
            "items_held",
            "total_qepik",
            "arrears_qepik",
            "held_qepik",
            "recovered_qepik",
        ]
    )


def _summary(run: PayrollRun) -> dict[str, Any]:
    return {
        "month": run.month.isoformat(),
        "items_due": run.items_due,
        "items_held": run.items_held,
        "total_qepik": run.total_qepik,
        "arrears_qepik": run.arrears_qepik,
        "held_qepik": run.held_qepik,
        "recovered_qepik": run.recovered_qepik,
    }


def payroll_approve(*, run: PayrollRun, actor: Actor) -> PayrollRun:
    """A second administrator (not the one who computed it) approves a computed run; audited."""
    user = _administrator(actor, _("Only an administrator may approve a payroll."))
    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().get(pk=run.pk)
        if run.state != RunState.COMPUTED:
            raise PaymentError(
                _("The payroll of %(month)s is already approved.")
                % {"month": f"{run.month:%m.%Y}"},
                code="already_approved",
            )
        if run.computed_by_id == user.pk:
            raise PaymentError(
                _(
                    "You computed this payroll, so another administrator must approve it "
                    "(four eyes)."
                ),
                code="same_administrator",
            )
        run.state, run.approved_by, run.approved_at = RunState.APPROVED, user, timezone.now()
        run.save(update_fields=["state", "approved_by", "approved_at"])
        audit_record(
            action="payments.payroll_approve",
            actor=user,
            actor_role=Role.ADMINISTRATOR,
            obj=run,
            purpose="Four-eyes approval of a monthly payroll",
            details=_summary(run),
        )
    return run
