"""Synthetic facts for an existing registry: insurance accounts, disability decisions, births and
household means — vectorised (numpy/Polars) and written with COPY on PostgreSQL.

Deterministic for a seed. Realistic enough for the pipeline: the registry's birth dates already
give a national pension-age cohort every day; about 1 in 80 000 people a day gets a commission
decision (≈125 a day nationally, docs/domain.md §4; never fewer than 2 a day, so a demo has some),
and children under 18 get theirs ("disability established before 18", ≈11 a day, at least 1);
every child under 3 is linked to a mother in its household (births, docs/domain.md §5: ≈210 a day).
Existing facts are left alone: people who already have an account, decision or birth are skipped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import polars as pl
from django.db import connection, transaction

from meis.core import bulk

BATCH = 500_000
EPOCH = datetime.date(1970, 1, 1)


@dataclass(frozen=True)
class FactsResult:
    accounts: int
    disability_decisions: int
    births: int
    household_means: int


def facts_generate(*, seed: int, on: datetime.date) -> FactsResult:
    accounts = decisions = births = means = 0
    low, high = _bounds("registry_person")
    for start in range(low, high + 1, BATCH):
        with transaction.atomic():
            people = bulk.frame_read(
                """SELECT p.id, p.birth_on, p.sex FROM registry_person p
                   WHERE p.id >= %s AND p.id < %s AND p.died_on IS NULL
                     AND NOT EXISTS (SELECT 1 FROM insurance_insuranceaccount a
                                     WHERE a.person_id = p.id)
                   ORDER BY p.id""",
                [start, start + BATCH],
                {"id": pl.Int64(), "birth_on": pl.Date(), "sex": pl.String()},
            )
            rng = np.random.default_rng([seed, start])
            accounts += _accounts(people, rng, on)
            decisions += _decisions(people, rng, on)
    low, high = _bounds("registry_household")
    for start in range(low, high + 1, BATCH):
        with transaction.atomic():
            rng = np.random.default_rng([seed, 7, start])
            births += _births(start, start + BATCH, on)
            means += _means(start, start + BATCH, rng, on)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "insurance_insuranceaccount",
                "lifeevents_disabilitydecision",
                "lifeevents_birth",
                "lifeevents_householdmeans",
            ):
                cursor.execute(f'ANALYZE "{table}"')
    return FactsResult(accounts, decisions, births, means)


def _bounds(table: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT MIN(id), MAX(id) FROM "{table}"')  # noqa: S608
        low, high = cursor.fetchone()
    return int(low or 0), int(high or -1)


def _age_years(people: pl.DataFrame, on: datetime.date) -> np.ndarray:
    days = (on - EPOCH).days - people["birth_on"].cast(pl.Int32).to_numpy()
    return np.asarray(days / 365.25)


def _accounts(people: pl.DataFrame, rng: np.random.Generator, on: datetime.date) -> int:
    """Record months from working years × a person's employment share; capital since 2006."""
    n = people.height
    if n == 0:
        return 0
    age = _age_years(people, on)
    working_years = np.clip(np.minimum(age, 65) - 19, 0, None)
    share = rng.beta(5, 2, n) * (rng.random(n) > 0.08)  # 8 % never insured
    record = np.floor(working_years * 12 * share).astype(np.int64)
    months_since_2006 = max(0, (on.year - 2006) * 12 + on.month - 1)
    # Months on the individual account (from 2006) are the latest working months.
    account_months = np.minimum(record, months_since_2006)
    monthly_credit = rng.lognormal(np.log(6_000), 0.5, n)  # ≈ 60 AZN a month credited
    capital = (account_months * monthly_credit).astype(np.int64)
    pre_2006 = np.clip(record - account_months, 0, None) // 12 * 30_600  # 306 AZN a year
    frame = pl.DataFrame(
        {
            "person_id": people["id"],
            "record_months": record,
            "pension_capital_qepik": capital,
            "pre_2006_capital_qepik": pre_2006,
            "updated_on": [on] * n,
        }
    )
    bulk.frame_write("insurance_insuranceaccount", frame)
    return n


DAYS = 67  # decisions over the last 60 days and the next 7


def _decisions(people: pl.DataFrame, rng: np.random.Generator, on: datetime.date) -> int:
    """Adults' decisions, then children's (drawn after, so a seed's adults stay the same)."""
    adult_from = on.replace(year=on.year - 18, day=min(on.day, 28))
    adults = people.filter(pl.col("birth_on") <= adult_from)
    children = people.filter(pl.col("birth_on") > adult_from)
    return _adult_decisions(adults, rng, on) + _child_decisions(children, rng, on)


def _adult_decisions(adults: pl.DataFrame, rng: np.random.Generator, on: datetime.date) -> int:
    """About 125 a day per 10 M people over the last 60 days and the next 7; at least 2 a day."""
    if adults.height == 0:
        return 0
    days = DAYS
    per_day = max(2, round(adults.height * 1.25e-5))
    count = min(adults.height, per_day * days)
    chosen = rng.choice(adults.height, size=count, replace=False)
    decided = np.datetime64(on) - 60 + rng.integers(0, days, count)
    degrees = rng.choice(["I", "II", "III"], size=count, p=[0.15, 0.45, 0.40])
    terms = np.where(degrees == "I", 730, 365)
    frame = pl.DataFrame(
        {
            "person_id": adults["id"].gather(chosen),
            "degree": degrees,
            "percentage": rng.integers(31, 101, count),
            "cause": ["general_illness"] * count,
            "decided_on": decided.astype("datetime64[D]"),
            "reexamine_on": (decided + terms).astype("datetime64[D]"),
        }
    ).with_columns(pl.col("decided_on", "reexamine_on").cast(pl.Date))
    bulk.frame_write("lifeevents_disabilitydecision", frame)
    return count


def _child_decisions(children: pl.DataFrame, rng: np.random.Generator, on: datetime.date) -> int:
    """Disability established before 18: about 11 a day per 2.5 M children, at least 1 a day.

    Disabled children are about a twelfth of the disability caseload (52 700 of 616 100 on
    1 Jan 2021, docs/domain.md §4–5), so about a twelfth of the ≈125 daily decisions; loss of
    functions 31–100 %; re-examination after 1, 2 or 5 years, never past the 18th birthday.
    """
    if children.height == 0:
        return 0
    per_day = max(1, round(children.height * 4.4e-6))
    count = min(children.height, per_day * DAYS)
    chosen = rng.choice(children.height, size=count, replace=False)
    decided = np.datetime64(on) - 60 + rng.integers(0, DAYS, count)
    terms = rng.choice([365, 730, 1825], size=count, p=[0.5, 0.3, 0.2])
    born = children["birth_on"].gather(chosen).to_numpy().astype("datetime64[D]")
    adult_on = born + np.timedelta64(18 * 365 + 4, "D")  # the 18th birthday, ± a day
    reexamine = np.minimum(decided + terms, np.maximum(adult_on, decided + 1))
    frame = pl.DataFrame(
        {
            "person_id": children["id"].gather(chosen),
            "degree": ["child"] * count,
            "percentage": rng.integers(31, 101, count),
            "cause": ["general_illness"] * count,
            "decided_on": decided.astype("datetime64[D]"),
            "reexamine_on": reexamine.astype("datetime64[D]"),
        }
    ).with_columns(pl.col("decided_on", "reexamine_on").cast(pl.Date))
    bulk.frame_write("lifeevents_disabilitydecision", frame)
    return count


def _births(low: int, high: int, on: datetime.date) -> int:
    """Every child under 3 gets a birth row linking them to a woman of 16–50 in the household."""
    frame = bulk.frame_read(
        """SELECT c.id, c.birth_on,
                  (SELECT MIN(mm.person_id) FROM registry_householdmembership mm
                   JOIN registry_person mo ON mo.id = mm.person_id
                   WHERE mm.household_id = cm.household_id AND mm.left_on IS NULL
                     AND mo.sex = 'F' AND mo.birth_on <= c.birth_on - 16 * 365
                     AND mo.birth_on >= c.birth_on - 50 * 365) AS mother_id
           FROM registry_person c
           JOIN registry_householdmembership cm ON cm.person_id = c.id AND cm.left_on IS NULL
           WHERE cm.household_id >= %s AND cm.household_id < %s AND c.birth_on > %s
             AND NOT EXISTS (SELECT 1 FROM lifeevents_birth b WHERE b.child_id = c.id)"""
        if connection.vendor == "postgresql"
        else """SELECT c.id, c.birth_on,
                  (SELECT MIN(mm.person_id) FROM registry_householdmembership mm
                   JOIN registry_person mo ON mo.id = mm.person_id
                   WHERE mm.household_id = cm.household_id AND mm.left_on IS NULL
                     AND mo.sex = 'F'
                     AND julianday(c.birth_on) - julianday(mo.birth_on) BETWEEN 16 * 365
                         AND 50 * 365) AS mother_id
           FROM registry_person c
           JOIN registry_householdmembership cm ON cm.person_id = c.id AND cm.left_on IS NULL
           WHERE cm.household_id >= %s AND cm.household_id < %s AND c.birth_on > %s
             AND NOT EXISTS (SELECT 1 FROM lifeevents_birth b WHERE b.child_id = c.id)""",
        [low, high, on.replace(year=on.year - 3, day=min(on.day, 28))],
        {"id": pl.Int64(), "birth_on": pl.Date(), "mother_id": pl.Int64()},
    ).filter(pl.col("mother_id").is_not_null())
    rows = frame.select(child_id="id", mother_id="mother_id", born_on="birth_on").with_columns(
        father_id=pl.lit(None, dtype=pl.Int64)
    )
    bulk.frame_write("lifeevents_birth", rows)
    return rows.height


def _means(low: int, high: int, rng: np.random.Generator, on: datetime.date) -> int:
    ids = bulk.frame_read(
        """SELECT h.id FROM registry_household h WHERE h.id >= %s AND h.id < %s
           AND NOT EXISTS (SELECT 1 FROM lifeevents_householdmeans m WHERE m.household_id = h.id)
           ORDER BY h.id""",
        [low, high],
        {"id": pl.Int64()},
    )["id"]
    h = len(ids)
    if h == 0:
        return 0
    poor = rng.random(h) < 0.12
    income = np.where(poor, rng.integers(0, 1_200_000, h), rng.integers(1_500_000, 9_000_000, h))
    frame = pl.DataFrame(
        {
            "household_id": ids,
            "income_12_months_qepik": income,
            "purchases_sales_12_months_qepik": rng.integers(0, 300_000, h),
            "has_vehicle": rng.random(h) < np.where(poor, 0.05, 0.35),
            "refused_suitable_jobs": rng.choice([0, 0, 0, 1, 2], size=h),
            "utility_spending_12_months_qepik": rng.integers(20_000, 150_000, h),
            "same_purpose_real_estate_units": rng.choice([0, 1, 1, 1, 2], size=h),
            "declaration_matches_checks": rng.random(h) < 0.97,
            "updated_on": [on] * h,
        }
    )
    if connection.vendor == "sqlite":
        frame = frame.with_columns(pl.col(pl.Boolean).cast(pl.Int8))
    bulk.frame_write("lifeevents_householdmeans", frame)
    return h
