"""Overpayments: released payments for months an award no longer covered, and their recovery.

    found = overpayments_find(actor=admin)      # e.g. after a late death or end is recorded
    # and, inside `payroll_compute`, before the month's items: find, then withhold

**Found set-based.** One statement looks at the awards that could have been overpaid — of a
person who died before the last released month ended, or ended within the released months (or
up to `ENDS_LOOKBACK_DAYS` before them) —
and at their items in released runs: an item is overpaid when the recipient died before its
month (the whole month: a death within a month pays that month, `services/payroll.py`), or the
award ended before the month's end (the days after the end). Payments the bank returned were not
paid; one-off payments are left out. Each paid item becomes at most one `Overpayment` (unique).

**Recovered within the limit.** When a later payroll pays the same person, each due payment
withholds at most `deduction_share_percent` of itself (`parameters/recovery.yaml`, a [M]
value: see there) until the balance is recovered; the file sends the rest. The living are told
by letter what will be withheld. **Claimed from the estate** when the person is dead — nothing
later is paid — with a letter to the estate's contact (`meis.payments.letters`) and a task for
staff. A living person whose awards all ended is left `recovering` with a task to claim it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.access import actor_roles
from meis.accounts.roles import Role
from meis.audit.services import audit_record
from meis.core import bulk
from meis.payments import letters
from meis.payments.models import (
    Overpayment,
    OverpaymentReason,
    OverpaymentState,
    PaymentTask,
    PayrollRun,
    Recovery,
    RunState,
    TaskKind,
)
from meis.payments.services.errors import PaymentError
from meis.payments.services.payroll import month_last_day, prorated
from meis.registry.models import Person

Actor = User | AnonymousUser | None
# An end recorded more than this late (before the first released payroll) is not looked for:
# it bounds the awards read; every death is looked for, however late.
ENDS_LOOKBACK_DAYS = 366
PARAMETERS = Path(__file__).resolve().parents[1] / "parameters" / "recovery.yaml"

_MONTH_END = {
    "postgresql": "(r.month + interval '1 month' - interval '1 day')::date",
    "sqlite": "date(r.month, '+1 month', '-1 day')",
}
# Candidate awards first (the few dead and ended), then their items by the (award, run) index.
_FIND_SQL = """
WITH candidates AS (
    SELECT a.id FROM awards_award a JOIN registry_person p ON p.id = a.person_id
    WHERE p.died_on IS NOT NULL AND p.died_on < %(until)s AND NOT a.is_one_off
    UNION
    SELECT a.id FROM awards_award a
    WHERE a.end_on IS NOT NULL AND a.end_on >= %(ends_since)s AND a.end_on < %(until)s
      AND NOT a.is_one_off
)
SELECT i.id, i.award_id, i.person_id, r.month, i.amount_qepik,
       a.amount_qepik, a.start_on, a.end_on, p.died_on
FROM candidates c
JOIN payments_payrollitem i ON i.award_id = c.id
JOIN payments_payrollrun r ON r.id = i.run_id
JOIN awards_award a ON a.id = i.award_id
JOIN registry_person p ON p.id = a.person_id
WHERE r.state = 'released' AND i.status = 'due'
  AND ((p.died_on IS NOT NULL AND p.died_on < r.month) OR a.end_on < {month_end})
  AND NOT EXISTS (SELECT 1 FROM payments_overpayment o WHERE o.item_id = i.id)
  AND NOT EXISTS (SELECT 1 FROM payments_paymentoutcome o
                  WHERE o.item_id = i.id AND o.status = 'returned')
ORDER BY i.person_id, r.month, i.id
"""
_DUE_SQL = """
SELECT i.id, a.person_id, i.amount_qepik + i.arrears_qepik
FROM payments_payrollitem i JOIN awards_award a ON a.id = i.award_id
WHERE i.run_id = %s AND i.status = 'due' AND a.person_id IN ({people})
ORDER BY a.person_id, i.id
"""


@cache
def deduction_share_percent(on: datetime.date) -> int:
    """The dated limit in force `on` (rules' YAML style; the value is marked [M])."""
    values = yaml.safe_load(PARAMETERS.read_text(encoding="utf-8"))["deduction_share_percent"]
    current = [v for v in values["values"] if v["start"] <= on]
    return int(max(current, key=lambda v: v["start"])["value"])


def overpayments_find(*, actor: Actor) -> list[Overpayment]:
    """Find overpayments now (after a late death or end was recorded); audited."""
    if not isinstance(actor, User) or Role.ADMINISTRATOR not in actor_roles(actor):
        raise PaymentError(
            _("Only an administrator may look for overpayments."), code="not_administrator"
        )
    with transaction.atomic():
        found = overpayments_record(run=None)
        audit_record(
            action="payments.overpayments_find",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            purpose="Overpayments looked for after a late death or award end",
            details={"found": len(found), "qepik": sum(o.overpaid_qepik for o in found)},
        )
    return found


def overpayments_record(*, run: PayrollRun | None) -> list[Overpayment]:
    """Record every new overpayment; letters and tasks. In the caller's transaction."""
    released = PayrollRun.objects.filter(state=RunState.RELEASED).order_by("month")
    first = released.first()
    last = released.last()
    if first is None or last is None:
        return []
    vendor = "postgresql" if bulk.is_postgresql() else "sqlite"
    params = {
        "ends_since": first.month - datetime.timedelta(days=ENDS_LOOKBACK_DAYS),
        "until": month_last_day(last.month),
    }
    with connection.cursor() as cursor:
        cursor.execute(_FIND_SQL.format(month_end=_MONTH_END[vendor]), params)
        rows = cursor.fetchall()
    found = []
    for item_id, award_id, person_id, month, paid, amount, start_on, end_on, died_on in rows:
        month, start_on, end_on, died_on = (
            _date(month),
            _date(start_on),
            _date(end_on),
            _date(died_on),
        )
        dead = died_on is not None and died_on < month
        owed = (
            0
            if dead
            else prorated(amount, start_on=start_on, end_on=end_on, died_on=None, month=month)
        )
        overpaid = int(paid) - min(owed, int(paid))
        if overpaid <= 0:
            continue
        found.append(
            Overpayment(
                person_id=person_id,
                award_id=award_id,
                item_id=item_id,
                month=month,
                reason=OverpaymentReason.DEATH if dead else OverpaymentReason.END,
                overpaid_qepik=overpaid,
                state=OverpaymentState.RECOVERING,
                found_in_run=run,
            )
        )
    Overpayment.objects.bulk_create(found)
    _tell(found)
    return found


def _tell(found: list[Overpayment]) -> None:
    """One letter per person (all their new overpayments); the dead's are claimed."""
    by_person: dict[int, list[Overpayment]] = defaultdict(list)
    for overpayment in found:
        by_person[overpayment.person_id].append(overpayment)
    today = timezone.localdate()
    people = Person.objects.in_bulk(list(by_person))
    for person_id, owed in by_person.items():
        person = people[person_id]
        total = sum(o.overpaid_qepik for o in owed)
        months = [o.month for o in owed]
        key = "-".join(str(o.item_id) for o in owed)
        if person.died_on is not None:
            Overpayment.objects.filter(pk__in=[o.pk for o in owed]).update(
                state=OverpaymentState.CLAIMED
            )
            for overpayment in owed:
                overpayment.state = OverpaymentState.CLAIMED
            sent_to = letters.estate_letter(
                deceased=person, amount_qepik=total, months=months, key=key, today=today
            )
            PaymentTask.objects.create(
                kind=TaskKind.OVERPAYMENT_CLAIM,
                person=person,
                amount_qepik=total,
                details=sent_to or "no_contact",
            )
        else:
            letters.recovery_letter(
                person=person,
                amount_qepik=total,
                months=months,
                share=deduction_share_percent(today),
                key=key,
            )


def recoveries_apply(run: PayrollRun) -> int:
    """Withhold from `run`'s due payments what open overpayments still owe, within the limit."""
    open_ = list(
        Overpayment.objects.filter(state=OverpaymentState.RECOVERING).order_by(
            "person_id", "month", "id"
        )
    )
    if not open_:
        return 0
    people = sorted({o.person_id for o in open_})
    with connection.cursor() as cursor:
        cursor.execute(_DUE_SQL.format(people=", ".join(["%s"] * len(people))), [run.pk, *people])
        due = cursor.fetchall()
    payments: dict[int, list[list[int]]] = defaultdict(list)
    for item_id, person_id, sent in due:
        payments[person_id].append([item_id, int(sent), 0])
    share = deduction_share_percent(run.month)
    recoveries: list[Recovery] = []
    for overpayment in open_:
        for payment in payments.get(overpayment.person_id, []):
            item_id, sent, withheld = payment
            room = sent * share // 100 - withheld
            take = min(room, overpayment.balance_qepik)
            if take <= 0:
                continue
            payment[2] += take
            overpayment.recovered_qepik += take
            recoveries.append(Recovery(overpayment=overpayment, item_id=item_id, amount_qepik=take))
        if overpayment.balance_qepik == 0:
            overpayment.state = OverpaymentState.RECOVERED
    Recovery.objects.bulk_create(recoveries)
    Overpayment.objects.bulk_update(open_, ["recovered_qepik", "state"])
    updates = [
        (payment[2], payment[0]) for rows in payments.values() for payment in rows if payment[2]
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE payments_payrollitem SET recovered_qepik = %s WHERE id = %s", updates
        )
    _unpaid_tasks(open_, payments)
    return sum(r.amount_qepik for r in recoveries)


def _unpaid_tasks(open_: list[Overpayment], payments: dict[int, Any]) -> None:
    """A living person owing an overpayment whom this run pays nothing: staff claim it."""
    unpaid = {
        o.person_id: o
        for o in open_
        if o.state == OverpaymentState.RECOVERING and o.person_id not in payments
    }
    already = set(
        PaymentTask.objects.filter(
            kind=TaskKind.OVERPAYMENT_CLAIM, person_id__in=list(unpaid), resolved_at__isnull=True
        ).values_list("person_id", flat=True)
    )
    PaymentTask.objects.bulk_create(
        PaymentTask(
            kind=TaskKind.OVERPAYMENT_CLAIM,
            person_id=person_id,
            amount_qepik=sum(o.balance_qepik for o in open_ if o.person_id == person_id),
            details="nothing_paid",
        )
        for person_id in unpaid
        if person_id not in already
    )


def _date(value: object) -> Any:
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value
