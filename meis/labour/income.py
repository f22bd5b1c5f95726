"""Əmək haqqı gəliri: the wages the contracts register says were earned over a period.

One computation, two reads. `wages_by_month` turns contract versions into the wage earned per
contract and calendar month; `employment_income_qepik` reads the versions of a few people (one
household applying) and `household_employment_income` those of the members of many households
at once (a proactive run's chunk). Both feed the same function, so an application and a run
always see the same income for the same family.

What a month yields, per contract — the definition the monthly contribution accrual uses
(`meis.labour.accrual`): each day in force is paid at the monthly wage of the version in force
that day (an amendment counts from the day it took effect); a suspension pays nothing until the
resumption; the termination day is the last day paid. Σ wage × days ÷ days of the month, rounded
once to whole qəpik by the rules' `money.rounding` parameter, in integer arithmetic.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence

import polars as pl

from meis.core.bulk import frame_read, is_postgresql
from meis.labour.models import Notice
from meis.rules import money
from meis.rules.store import default_store

VERSION_SCHEMA: dict[str, pl.DataType] = {
    "owner_id": pl.Int64(),  # whose income it is: the person, or their household
    "contract_id": pl.Int64(),
    "number": pl.Int64(),
    "notice": pl.String(),
    "effective_on": pl.Date(),
    "monthly_wage_qepik": pl.Int64(),
    "terminated_on": pl.Date(),
}
# Every version of the contracts in force at some time in [from, to): start before `to`, not
# terminated before `from`. The `{owner}` column and `{join}` say whose income it is.
_VERSIONS_SQL = """SELECT {owner}, v.contract_id, v.number, v.notice, v.effective_on,
        v.monthly_wage_qepik, c.terminated_on
    FROM labour_contract c JOIN labour_contractversion v ON v.contract_id = c.id {join}
    WHERE c.start_on < %s AND (c.terminated_on IS NULL OR c.terminated_on >= %s)
      AND {owner_filter} {{ids}}"""
PERSON_VERSIONS_SQL = _VERSIONS_SQL.format(owner="c.person_id", join="", owner_filter="c.person_id")
HOUSEHOLD_VERSIONS_SQL = _VERSIONS_SQL.format(
    owner="m.household_id",
    join="JOIN registry_householdmembership m ON m.person_id = c.person_id AND m.left_on IS NULL",
    owner_filter="m.household_id",
)


def months_before(on: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """The `months` whole calendar months before `on`'s month: [first day, first day of on's)."""
    end = on.replace(day=1)
    index = end.year * 12 + end.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1), end


def _months(from_on: datetime.date, to_on: datetime.date) -> pl.DataFrame:
    starts, ends, days = [], [], []
    month = from_on.replace(day=1)
    while month < to_on:
        length = calendar.monthrange(month.year, month.month)[1]
        following = month + datetime.timedelta(days=length)
        starts.append(max(month, from_on))
        ends.append(min(following, to_on))
        days.append(length)
        month = following
    return pl.DataFrame(
        {"month_from": starts, "month_to": ends, "days_in_month": days},
        schema={"month_from": pl.Date(), "month_to": pl.Date(), "days_in_month": pl.Int64()},
    )


def wages_by_month(
    versions: pl.DataFrame, *, from_on: datetime.date, to_on: datetime.date
) -> pl.DataFrame:
    """owner_id, contract_id, month_from, wage_qepik: the wage each contract earned each month of
    [from_on, to_on) (`versions` as `VERSION_SCHEMA`; a month cut by the period is prorated)."""
    one_day = datetime.timedelta(days=1)
    segments = (
        versions.sort("contract_id", "effective_on", "number")
        .with_columns(
            # Paid from a conclusion or resumption, unpaid from a suspension; an amendment or a
            # termination keeps what was before it.
            is_paid=pl.when(pl.col("notice") == Notice.SUSPENSION)
            .then(pl.lit(False))
            .when(pl.col("notice").is_in([Notice.CONCLUSION, Notice.RESUMPTION]))
            .then(pl.lit(True))
            .otherwise(pl.lit(None, dtype=pl.Boolean))
            .forward_fill()
            .over("contract_id"),
            segment_to=pl.col("effective_on").shift(-1).over("contract_id"),
        )
        .with_columns(
            segment_to=pl.col("segment_to").fill_null(
                pl.col("terminated_on").dt.offset_by("1d").fill_null(pl.lit(to_on + one_day))
            )
        )
        .filter(pl.col("is_paid").fill_null(value=False))
    )
    rounding = str(default_store().value("money.rounding", on=to_on - one_day))
    days = (
        pl.min_horizontal("segment_to", "month_to")
        - pl.max_horizontal("effective_on", "month_from")
    ).dt.total_days()
    return (
        segments.join(_months(from_on, to_on), how="cross")
        .with_columns(days=days.clip(lower_bound=0))
        .filter(pl.col("days") > 0)
        .group_by("owner_id", "contract_id", "month_from", "days_in_month")
        .agg(wage_days=(pl.col("monthly_wage_qepik") * pl.col("days")).sum())
        .select(
            "owner_id",
            "contract_id",
            "month_from",
            wage_qepik=money.divide(
                pl.col("wage_days"), pl.col("days_in_month"), rounding=rounding
            ),
        )
    )


def _versions_read(
    sql: str, ids: Sequence[int], from_on: datetime.date, to_on: datetime.date
) -> pl.DataFrame:
    """The versions of `sql` for the owners `ids` (PostgreSQL binds them as one array)."""
    if not ids:
        return pl.DataFrame(schema=VERSION_SCHEMA)
    if is_postgresql():
        return frame_read(sql.format(ids="= ANY(%s)"), [to_on, from_on, list(ids)], VERSION_SCHEMA)
    parts = [list(ids[i : i + 10_000]) for i in range(0, len(ids), 10_000)]
    return pl.concat(
        frame_read(
            sql.format(ids=f"IN ({', '.join(['%s'] * len(part))})"),
            [to_on, from_on, *part],
            VERSION_SCHEMA,
        )
        for part in parts
    )


def employment_income_qepik(
    *, person_ids: Iterable[int], from_on: datetime.date, to_on: datetime.date
) -> int:
    """The wages the register says `person_ids` earned together in [from_on, to_on)."""
    versions = _versions_read(PERSON_VERSIONS_SQL, sorted(set(person_ids)), from_on, to_on)
    wages = wages_by_month(versions, from_on=from_on, to_on=to_on)
    return int(wages["wage_qepik"].sum())


def household_employment_income(
    *, household_ids: Sequence[int], from_on: datetime.date, to_on: datetime.date
) -> pl.DataFrame:
    """household_id, employment_income_qepik: the wages the current members of each
    household earned in [from_on, to_on), set-based (households without wages have none)."""
    ids = sorted(set(household_ids))
    versions = _versions_read(HOUSEHOLD_VERSIONS_SQL, ids, from_on, to_on)
    wages = wages_by_month(versions, from_on=from_on, to_on=to_on)
    totals = wages.group_by("owner_id").agg(pl.col("wage_qepik").sum())
    return (
        pl.DataFrame({"household_id": ids}, schema={"household_id": pl.Int64()})
        .join(
            totals, left_on="household_id", right_on="owner_id", how="left", maintain_order="left"
        )
        .select(
            "household_id",
            employment_income_qepik=pl.col("wage_qepik").fill_null(0).cast(pl.Int64),
        )
    )
