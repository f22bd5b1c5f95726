"""Scheduled work of the contracts register: thin, calls the accrual; safe to run twice.

Contributions for a month are due by the 15th of the next (docs/domain.md §6), so a month is
accrued from the 16th on, when the employers' payments for it are in. The scheduler asks every
hour; once the month has its run, the ask finds nothing to do.
"""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone
from django_tasks import task

# The last day of the month after the one accrued on which its contributions may still be paid.
DUE_DAY = 15


def months_due(*, today: datetime.date, last_accrued: datetime.date | None) -> list[datetime.date]:
    """The months to accrue today: the latest whose contributions are due (last month from the
    16th, the month before until then) and any missed since the last accrued one. With no
    accrual yet, only the latest: earlier months are in the accounts already (the generator's,
    or older data's), and accruing them again would count them twice."""
    latest = _month_before(today.replace(day=1))
    if today.day <= DUE_DAY:
        latest = _month_before(latest)
    if last_accrued is None:
        return [latest]
    months: list[datetime.date] = []
    month = _month_after(last_accrued.replace(day=1))
    while month <= latest:
        months.append(month)
        month = _month_after(month)
    return months


def labour_monthly() -> str:
    """Accrue every month now due and not yet accrued, then the accrued months of contracts
    notified late since (the scheduler's hourly job)."""
    from meis.labour.accrual import (
        contributions_accrue,
        late_contributions_accrue,
        late_describe,
        run_describe,
    )
    from meis.labour.models import AccrualRun

    last = AccrualRun.objects.aggregate(last=Max("month_on"))["last"]
    done = []
    for month in months_due(today=timezone.localdate(), last_accrued=last):
        asked_at = timezone.now()
        done.append(run_describe(contributions_accrue(month_on=month), asked_at=asked_at))
    done += [late_describe(late) for late in late_contributions_accrue()]
    return "; ".join(done) or "no month due"


@task()
def contributions_accrue_month(month: str) -> str:
    """Accrue one month ("2020-03") in the worker; a month already accrued is left alone."""
    from meis.labour.accrual import contributions_accrue, run_describe

    asked_at = timezone.now()
    month_on = datetime.date.fromisoformat(f"{month}-01")
    return run_describe(contributions_accrue(month_on=month_on), asked_at=asked_at)


def _month_before(first: datetime.date) -> datetime.date:
    return (first - datetime.timedelta(days=1)).replace(day=1)


def _month_after(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1)
