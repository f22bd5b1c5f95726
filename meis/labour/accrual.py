"""The monthly contribution accrual: from the contracts register to the individual accounts.

Contributions are due monthly with the wage, by the 15th of the following month (docs/domain.md
§6); `contributions_accrue` turns one month of the register into `insurance.Contribution` rows and
adds them to each person's `InsuranceAccount`, so that pensions rest on contributions that came
from contracts. It is set-based — one read, one evaluation of the rules' `contributions` scheme
over every contract at once (Polars), one write — because a month of the country is about
1.9 million contracts (docs/domain.md §12) and must take seconds, not hours.

What one month yields, per contract:
- the days worked: from the later of the start and the 1st to the earlier of the month's last
  day and the termination day (the last day worked), less the days it was suspended;
- the wage earned: each day at the monthly wage in force that day (an amendment counts from the
  day it took effect), ÷ days in the month — Σ wage × days ÷ days of the month, rounded once to
  whole qəpik by the rules' `money.rounding` parameter (half up), in integer arithmetic;
- the contributions: the `contributions` scheme on the month's first day over the wage each
  employer paid the person that month (two contracts with one employer in a month — one ended,
  a new one started — are one payroll line, so the scheme's scale sees the month's wage).

The days and wages come from the contract's registered versions, not from the `Contract` row
alone: the row holds the terms in force now, and by the 16th, when the job runs, a suspension
may have ended or a wage changed. A contract with one version (most) is its row.

It runs once per month (`AccrualRun`, unique by month): a second run of a month changes nothing.
A contract notified late — after its months were accrued — is caught up by
`late_contributions_accrue` (the scheduler's hourly job): the months it worked that have a run
are accrued for it alone, through the same computation.
Contribution rows are inserted ON CONFLICT DO NOTHING, so a month already recorded for a person
and employer by older data is neither written nor credited twice; the record gains a month only
for a person-month that had no contribution at all before. Everything is one transaction.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from meis.audit.services import audit_record
from meis.core.bulk import (
    frame_read,
    frame_read_ids,
    frame_write,
    is_postgresql,
    transaction_tune,
)
from meis.insurance.services import CREDITED_SHARE
from meis.labour.models import AccrualRun, ContractVersion, Notice
from meis.registry.models import EmployerSector
from meis.rules import money
from meis.rules.engine import evaluate_batch
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store

logger = logging.getLogger(__name__)

_IN_MONTH = "c.start_on <= %s AND (c.terminated_on IS NULL OR c.terminated_on >= %s)"
# Every contract that may have been in force during the month (last day, first day): only the
# columns the month needs, as the read is most of the job's time (`stopped_from` is the day a
# suspension took effect while the contract is not active; a resumed one has none).
CONTRACTS_SQL = f"""SELECT c.id, c.person_id, c.employer_id, c.monthly_wage_qepik, c.start_on,
        c.terminated_on, CASE WHEN c.status <> 'active' THEN c.suspended_from END
    FROM labour_contract c WHERE {_IN_MONTH}"""  # noqa: S608 — constant SQL, values bound
CONTRACT_SCHEMA: dict[str, pl.DataType] = {
    "contract_id": pl.Int64(),
    "person_id": pl.Int64(),
    "employer_id": pl.Int64(),
    "monthly_wage_qepik": pl.Int64(),
    "start_on": pl.Date(),
    "terminated_on": pl.Date(),
    "stopped_from": pl.Date(),
}
# The versions of those ever changed, up to the month's end (last day, first day, last day).
VERSIONS_SQL = f"""SELECT v.contract_id, v.number, v.notice, v.effective_on, v.monthly_wage_qepik
    FROM labour_contractversion v JOIN labour_contract c ON c.id = v.contract_id
    WHERE c.version > 1 AND {_IN_MONTH} AND v.effective_on <= %s"""  # noqa: S608
VERSION_SCHEMA: dict[str, pl.DataType] = {
    "contract_id": pl.Int64(),
    "number": pl.Int64(),
    "notice": pl.String(),
    "effective_on": pl.Date(),
    "monthly_wage_qepik": pl.Int64(),
}
EMPLOYERS_SQL = "SELECT e.id, e.voen, e.sector FROM registry_employer e"
EMPLOYER_SCHEMA: dict[str, pl.DataType] = {
    "employer_id": pl.Int64(),
    "employer_voen": pl.String(),
    "sector": pl.String(),
}

STAGING = "labour_accrual_staging"  # person_id, employer_voen, amount_qepik
PEOPLE = "labour_accrual_people"  # person_id, is_new_month, has_account
CREDITED = "labour_accrual_credited"  # person_id, credited_qepik (SQLite)
# 90 % of a contribution is credited to the pension capital, per row and rounded down, as
# `meis.insurance.services.contribution_record` does for a single contribution.
_CREDIT_NUMERATOR, _CREDIT_DENOMINATOR = CREDITED_SHARE.as_integer_ratio()

# Each person paid for: whether the month is new to their record (read before anything is
# written), and whether they have an account. Probed in person order, as the indexes are.
PEOPLE_SQL = f"""CREATE TEMPORARY TABLE {PEOPLE} AS
    SELECT s.person_id,
        NOT EXISTS (SELECT 1 FROM insurance_contribution c
                    WHERE c.person_id = s.person_id AND c.month_on = %s) AS is_new_month,
        EXISTS (SELECT 1 FROM insurance_insuranceaccount a
                WHERE a.person_id = s.person_id) AS has_account
    FROM (SELECT DISTINCT person_id FROM {STAGING} ORDER BY person_id) s"""  # noqa: S608

# New accounts for people the register employs but who have none (docs/domain.md §6: the first
# contract opens the account); it opened on the start of the person's first contract.
OPEN_ACCOUNTS_SQL = f"""INSERT INTO insurance_insuranceaccount
        (person_id, record_months, pension_capital_qepik, pre_2006_capital_qepik, updated_on,
         opened_on)
    SELECT p.person_id, 0, 0, 0, %s,
        (SELECT MIN(c.start_on) FROM labour_contract c WHERE c.person_id = p.person_id)
    FROM {PEOPLE} p WHERE NOT p.has_account
    ON CONFLICT (person_id) DO NOTHING"""  # noqa: S608 — constant SQL, values bound

_ACCOUNT_SET = """record_months = record_months + CASE WHEN p.is_new_month THEN 1 ELSE 0 END,
            pension_capital_qepik = pension_capital_qepik + k.credited_qepik,
            updated_on = CASE WHEN updated_on > %(month)s THEN updated_on ELSE %(month)s END"""

# PostgreSQL: insert, credit and count in one statement (its parts see the tables as they were
# before it). Contributions that conflict are skipped and credit nothing.
ACCRUE_SQL = f"""WITH inserted AS (
        INSERT INTO insurance_contribution (person_id, month_on, amount_qepik, employer_voen)
        SELECT person_id, %(month)s, amount_qepik, employer_voen FROM {STAGING}
        ON CONFLICT DO NOTHING
        RETURNING person_id, amount_qepik
    ), k AS (
        SELECT person_id,
            SUM(amount_qepik * {_CREDIT_NUMERATOR} / {_CREDIT_DENOMINATOR}) AS credited_qepik
        FROM inserted GROUP BY person_id
    ), accounts AS (
        UPDATE insurance_insuranceaccount SET {_ACCOUNT_SET}
        FROM k JOIN {PEOPLE} p ON p.person_id = k.person_id
        WHERE insurance_insuranceaccount.person_id = k.person_id
        RETURNING 1
    )
    SELECT (SELECT COUNT(*) FROM accounts), (SELECT COALESCE(SUM(amount_qepik), 0) FROM inserted)
"""  # noqa: S608 — constant SQL, values bound

# SQLite: the same credit, from the inserted rows it returned.
CREDIT_SQL = f"""UPDATE insurance_insuranceaccount SET {_ACCOUNT_SET}
    FROM {CREDITED} k JOIN {PEOPLE} p ON p.person_id = k.person_id
    WHERE insurance_insuranceaccount.person_id = k.person_id"""  # noqa: S608


class AccrualError(ValueError):
    """The month cannot be accrued yet."""


@dataclass(frozen=True)
class Register:
    """What the month reads from the register (frames in `*_SCHEMA`'s columns)."""

    contracts: pl.DataFrame
    versions: pl.DataFrame  # of the contracts ever changed; may lack some (see `_wage_days`)
    employers: pl.DataFrame


@dataclass(frozen=True)
class Payroll:
    """One month's contributions to write: a row per person and employer, and what made them."""

    # person_id, employer_voen, gross_wage_qepik, amount_qepik (social insurance, both sides)
    rows: pl.DataFrame
    contracts: int  # contracts worked for at least a day of the month


def contributions_accrue(*, month_on: datetime.date) -> AccrualRun:
    """Accrue one month's contributions from the register to the individual accounts, once.

    `month_on` is any day of the month. A month that has not ended is refused: its wages are
    paid, and its suspensions and terminations notified, after it. A month already accrued is
    left as it is and its run returned (`run_describe` tells the two apart).
    """
    month_on = month_on.replace(day=1)
    last_on = month_end(month_on)
    if last_on >= timezone.localdate():
        raise AccrualError(
            f"{month_on:%Y-%m} has not ended: accrue it on"
            f" {last_on + datetime.timedelta(days=1):%Y-%m-%d} or later."
        )
    with transaction.atomic():
        # Foreign keys are not re-checked row by row (where the role may skip the triggers):
        # every person id written comes from a contract, whose own foreign key keeps the
        # person in place for the length of this transaction.
        transaction_tune(defer_references=True)
        run = _run_claim(month_on)
        if run is None:
            logger.info("Contributions for %s were already accrued", f"{month_on:%Y-%m}")
            return AccrualRun.objects.get(month_on=month_on)
        payroll = payroll_compute(register_read(month_on), month_on=month_on)
        run.people, run.amount_qepik = _accounts_credit(payroll.rows, month_on=month_on)
        run.contracts, run.finished_at = payroll.contracts, timezone.now()
        run.save(update_fields=["contracts", "people", "amount_qepik", "finished_at"])
        audit_record(
            action="labour.contributions_accrue",
            actor=None,
            obj=run,
            purpose="Monthly accrual of contributions from the contracts register",
            details={
                "month": f"{month_on:%Y-%m}",
                "contracts": run.contracts,
                "people": run.people,
                "amount_qepik": run.amount_qepik,
            },
        )
    return run


# A notification registered this long before a catch-up may commit only after it: each catch-up
# looks this far back again (contributions already written are skipped, never credited twice).
LATE_OVERLAP = datetime.timedelta(hours=1)
# The register of the late contracts alone ({ids}: "is one of" them).
LATE_CONTRACTS_SQL = """SELECT c.id, c.person_id, c.employer_id, c.monthly_wage_qepik,
        c.start_on, c.terminated_on, CASE WHEN c.status <> 'active' THEN c.suspended_from END
    FROM labour_contract c WHERE c.id {ids}"""
LATE_VERSIONS_SQL = """SELECT v.contract_id, v.number, v.notice, v.effective_on,
        v.monthly_wage_qepik
    FROM labour_contractversion v WHERE v.contract_id {ids}"""


@dataclass(frozen=True)
class LateAccrual:
    month_on: datetime.date
    contracts: int  # late contracts that worked in the month
    people: int  # people credited now (a month already written for them is not credited again)
    amount_qepik: int


def late_contributions_accrue(*, now: datetime.datetime | None = None) -> list[LateAccrual]:
    """Accrue, for contracts notified after their months were accrued, those months.

    A contract whose start is notified late (Labour Code: the register still takes it, flagged)
    may begin in a month whose run has finished; without this its worker's record and capital
    would miss those months. Each accrued month is checked once per call for conclusions
    registered since its last check (the late-version index finds them); their contributions
    are computed exactly as the month's run computes them, and written ON CONFLICT DO NOTHING.
    An amendment notified late after a month was accrued does not change what was accrued.
    """
    now = now or timezone.now()
    done: list[LateAccrual] = []
    with transaction.atomic():
        transaction_tune(defer_references=True)
        # Locked: two catch-ups at once would both compute the months (never credit twice).
        runs = list(
            AccrualRun.objects.select_for_update()
            .filter(finished_at__isnull=False)
            .order_by("month_on")
        )
        if not runs:
            return done
        since = {run.pk: (run.late_checked_at or run.started_at) - LATE_OVERLAP for run in runs}
        late = list(
            ContractVersion.objects.filter(
                is_late=True,
                notice=Notice.CONCLUSION,
                registered_at__gte=min(since.values()),
            ).values_list("contract_id", "effective_on", "contract__terminated_on", "registered_at")
        )
        employers = frame_read(EMPLOYERS_SQL, [], EMPLOYER_SCHEMA) if late else None
        for run in runs:
            last_on = month_end(run.month_on)
            ids = sorted(
                contract_id
                for contract_id, start_on, terminated_on, registered_at in late
                if registered_at >= since[run.pk]
                and start_on <= last_on
                and (terminated_on is None or terminated_on >= run.month_on)
            )
            run.late_checked_at = now
            if not ids or employers is None:
                continue
            register = Register(
                contracts=frame_read_ids(LATE_CONTRACTS_SQL, ids, CONTRACT_SCHEMA),
                versions=frame_read_ids(LATE_VERSIONS_SQL, ids, VERSION_SCHEMA).filter(
                    pl.col("effective_on") <= last_on
                ),
                employers=employers,
            )
            payroll = payroll_compute(register, month_on=run.month_on)
            people, amount = _accounts_credit(payroll.rows, month_on=run.month_on)
            if not (people or amount):  # seen by an earlier catch-up (the overlap)
                continue
            run.late_people += people
            run.late_amount_qepik += amount
            done.append(LateAccrual(run.month_on, payroll.contracts, people, amount))
            audit_record(
                action="labour.contributions_accrue_late",
                actor=None,
                obj=run,
                purpose="Contributions of contracts notified after the month was accrued",
                details={
                    "month": f"{run.month_on:%Y-%m}",
                    "contracts": payroll.contracts,
                    "people": people,
                    "amount_qepik": amount,
                },
            )
        AccrualRun.objects.bulk_update(
            runs, ["late_checked_at", "late_people", "late_amount_qepik"]
        )
    return done


def late_describe(late: LateAccrual) -> str:
    return (
        f"{late.month_on:%Y-%m} late: contracts {late.contracts}, people credited {late.people},"
        f" social insurance {money.format_azn(late.amount_qepik)} AZN"
    )


def run_describe(run: AccrualRun, *, asked_at: datetime.datetime) -> str:
    """One line for the operator: what the run asked for at `asked_at` did, or that it found
    the month already done (its run started before the ask)."""
    month = f"{run.month_on:%Y-%m}"
    if run.started_at < asked_at:
        return f"{month}: already accrued at {run.finished_at:%Y-%m-%d %H:%M}; nothing done"
    return (
        f"{month}: contracts {run.contracts}, people credited {run.people},"
        f" social insurance {money.format_azn(run.amount_qepik)} AZN"
    )


def month_end(month_on: datetime.date) -> datetime.date:
    return month_on.replace(day=calendar.monthrange(month_on.year, month_on.month)[1])


def _run_claim(month_on: datetime.date) -> AccrualRun | None:
    """The month's new run, or None when it has one. Two processes at once: PostgreSQL holds the
    second insert until the first commits, then refuses it by the unique month."""
    if AccrualRun.objects.filter(month_on=month_on).exists():
        return None
    try:
        with transaction.atomic():
            return AccrualRun.objects.create(month_on=month_on, started_at=timezone.now())
    except IntegrityError:
        return None


def register_read(month_on: datetime.date) -> Register:
    """The contracts that may have been in force during the month, the versions of those ever
    changed, and the employers' VÖEN and sector (PostgreSQL streams each with COPY)."""
    last_on = month_end(month_on)
    return Register(
        contracts=frame_read(CONTRACTS_SQL, [last_on, month_on], CONTRACT_SCHEMA),
        versions=frame_read(VERSIONS_SQL, [last_on, month_on, last_on], VERSION_SCHEMA),
        employers=frame_read(EMPLOYERS_SQL, [], EMPLOYER_SCHEMA),
    )


def payroll_compute(register: Register, *, month_on: datetime.date) -> Payroll:
    """Each person's wage from each employer for the month, and its social insurance.

    No database here: frames in, the rows to write out (in person order, the indexes' order).
    """
    last_on = month_end(month_on)
    rounding = str(default_store().value("money.rounding", on=month_on))
    worked = (
        _wage_days(register, month_on=month_on, last_on=last_on)
        .filter(pl.col("wage_days") > 0)
        # Prorated by calendar days and rounded once: a full month is the wage exactly.
        .with_columns(
            earned_qepik=money.divide(pl.col("wage_days"), last_on.day, rounding=rounding)
        )
        .collect()
    )
    facts = (
        worked.lazy()
        .group_by("person_id", "employer_id")
        .agg(pl.col("earned_qepik").sum().alias("gross_wage_qepik"))
        .join(register.employers.lazy(), on="employer_id")
        .with_columns(
            is_non_oil_private_sector=pl.col("sector") == EmployerSector.NON_OIL_PRIVATE.value
        )
    )
    due = evaluate_batch(get_scheme("contributions"), facts, on=month_on)
    # The pension rests on the social-insurance contribution, the employee's and the employer's
    # (what `Contribution` holds and the account credits). The unemployment-insurance
    # contribution, the scheme's two other steps, goes to the unemployment-insurance fund, not
    # to the individual account, and is not written here.
    rows = (
        due.select(
            "person_id",
            "employer_voen",
            "gross_wage_qepik",
            (
                pl.col("employee_social_insurance_qepik")
                + pl.col("employer_social_insurance_qepik")
            ).alias("amount_qepik"),
        )
        .filter(pl.col("amount_qepik") > 0)
        .sort("person_id", "employer_voen")
    )
    return Payroll(rows=rows, contracts=worked.height)


def _wage_days(
    register: Register, *, month_on: datetime.date, last_on: datetime.date
) -> pl.LazyFrame:
    """contract_id, person_id, employer_id, wage_days: Σ monthly wage × days worked in the month.

    A contract never changed (most) is its row: one wage from the later of its start and the
    1st to the earlier of its termination, the day before it was suspended and the month's end.
    One with versions is cut where each takes effect (`_periods`).
    """
    contracts = register.contracts.lazy()
    changed = register.versions.get_column("contract_id").unique()
    simple = (
        contracts.filter(~pl.col("contract_id").is_in(changed.implode()))
        .with_columns(
            from_on=pl.max_horizontal("start_on", pl.lit(month_on)),
            until_on=pl.min_horizontal(
                "terminated_on", pl.col("stopped_from") - pl.duration(days=1), pl.lit(last_on)
            ),
        )
        .select(
            "contract_id",
            "person_id",
            "employer_id",
            (pl.col("monthly_wage_qepik") * _days("from_on", "until_on")).alias("wage_days"),
        )
    )
    versioned = (
        _periods(register.versions.lazy(), last_on=last_on)
        .join(contracts.drop("monthly_wage_qepik"), on="contract_id")
        .with_columns(
            from_on=pl.max_horizontal("from_on", "start_on", pl.lit(month_on)),
            until_on=pl.min_horizontal("until_on", "terminated_on", pl.lit(last_on)),
        )
        .filter(~pl.col("is_suspended"))
        .group_by("contract_id", "person_id", "employer_id")
        .agg((pl.col("monthly_wage_qepik") * _days("from_on", "until_on")).sum().alias("wage_days"))
    )
    return pl.concat([simple, versioned])


def _days(first: str, last: str) -> pl.Expr:
    """Days from `first` to `last`, both included; none when `last` is before `first`."""
    return ((pl.col(last) - pl.col(first)).dt.total_days() + 1).clip(lower_bound=0)


def _periods(versions: pl.LazyFrame, *, last_on: datetime.date) -> pl.LazyFrame:
    """contract_id, from_on, until_on, monthly_wage_qepik, is_suspended: a contract's life cut
    where each version takes effect (each lasts until the day before the next one's).

    A suspension holds until a resumption; an amendment or a termination changes the terms, not
    whether work is suspended.
    """
    notice = pl.col("notice")
    return (
        versions.sort("contract_id", "effective_on", "number")
        .with_columns(
            from_on=pl.col("effective_on"),
            until_on=(
                pl.col("effective_on").shift(-1).over("contract_id") - pl.duration(days=1)
            ).fill_null(pl.lit(last_on)),
            is_suspended=pl.when(notice == Notice.SUSPENSION.value)
            .then(True)
            .when(notice.is_in([Notice.CONCLUSION.value, Notice.RESUMPTION.value]))
            .then(False)
            .otherwise(None)
            .forward_fill()
            .over("contract_id")
            .fill_null(False),
        )
        .select("contract_id", "from_on", "until_on", "monthly_wage_qepik", "is_suspended")
    )


def _accounts_credit(rows: pl.DataFrame, *, month_on: datetime.date) -> tuple[int, int]:
    """Write the contributions, open missing accounts and credit them; returns the people
    credited and the amount written (contributions already present are neither)."""
    if rows.height == 0:
        return 0, 0
    month = _sql_date(month_on)
    with connection.cursor() as cursor:
        _temporary_drop(cursor)
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (person_id bigint NOT NULL,"
            " employer_voen varchar(10) NOT NULL, amount_qepik bigint NOT NULL)"
        )
        frame_write(STAGING, rows.select("person_id", "employer_voen", "amount_qepik"))
        cursor.execute(PEOPLE_SQL, [month])
        cursor.execute(OPEN_ACCOUNTS_SQL, [month])
        if is_postgresql():
            people, amount = _accrue_in_one_statement(cursor, month)
        else:
            people, amount = _accrue_step_by_step(cursor, month)
        _temporary_drop(cursor)
    return int(people), int(amount)


def _accrue_in_one_statement(cursor: Any, month: datetime.date | str) -> tuple[int, int]:
    """PostgreSQL: `ACCRUE_SQL`, planned for 1.9 M rows (for this transaction only).

    The accounts are updated fastest in the order they are stored and indexed (person order,
    which each month's update keeps): a merge join, where a hash join would visit them at
    random; the aggregate and sorts get the memory to stay off disk.
    """
    cursor.execute(
        "SET LOCAL work_mem = '256MB'; SET LOCAL enable_hashjoin = off;"
        " SET LOCAL enable_nestloop = off"
    )
    cursor.execute(ACCRUE_SQL, {"month": month})
    people, amount = cursor.fetchone()
    cursor.execute("RESET work_mem; RESET enable_hashjoin; RESET enable_nestloop")
    return int(people), int(amount)


def _accrue_step_by_step(cursor: Any, month: datetime.date | str) -> tuple[int, int]:
    """SQLite (the demo), which has no INSERT inside WITH: `ACCRUE_SQL`'s steps one by one.
    Its one writer at a time keeps what `PEOPLE_SQL` read true until the insert."""
    cursor.execute(
        "INSERT INTO insurance_contribution (person_id, month_on, amount_qepik, employer_voen)"  # noqa: S608
        f" SELECT person_id, %s, amount_qepik, employer_voen FROM {STAGING}"
        " WHERE true ON CONFLICT DO NOTHING RETURNING person_id, amount_qepik",
        [month],
    )
    inserted = pl.DataFrame(
        cursor.fetchall(), schema={"person_id": pl.Int64, "amount_qepik": pl.Int64}, orient="row"
    )
    credited = inserted.group_by("person_id").agg(
        (pl.col("amount_qepik") * _CREDIT_NUMERATOR // _CREDIT_DENOMINATOR)
        .sum()
        .alias("credited_qepik")
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {CREDITED} (person_id bigint NOT NULL,"
        " credited_qepik bigint NOT NULL)"
    )
    frame_write(CREDITED, credited)
    cursor.execute(CREDIT_SQL, {"month": month})
    return credited.height, int(inserted["amount_qepik"].sum())


def _temporary_drop(cursor: Any) -> None:
    for table in (STAGING, PEOPLE, CREDITED):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _sql_date(day: datetime.date) -> datetime.date | str:
    """A date as the driver takes it (SQLite keeps dates as ISO text)."""
    return day if is_postgresql() else day.isoformat()
