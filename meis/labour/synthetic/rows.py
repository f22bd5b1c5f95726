"""Rows: one block of people's careers becomes contract and contract-version rows.

`careers` says when, `terms` who employs and for what, `notices` which notifications made each
contract; a version row is a notification with the terms in force after it, and a contract's
row holds the terms of its last version.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import polars as pl

from meis.labour.models import Assurance, ContractStatus, ContractTerm, Notice
from meis.registry.synthetic.base import YEAR, IntArray, day_number

from .careers import MONTH, NEVER, People, Spells, careers
from .notices import notices, suspensions
from .terms import STATE, Employers, Grounds, Occupations, Pay

DISTINCT_EMPLOYER_ROUNDS = 8
# The notice of each kind code in `notices` (CONCLUSION, AMENDMENT, SUSPENSION, TERMINATION).
NOTICES = (Notice.CONCLUSION, Notice.AMENDMENT, Notice.SUSPENSION, Notice.TERMINATION)


@dataclass(frozen=True)
class Context:
    """What every block shares: the employers, the classifiers, the pay rules and the date."""

    employers: Employers
    occupations: Occupations
    pay: Pay
    grounds: Grounds
    as_of: datetime.date
    minimum_age: int  # years


@dataclass(frozen=True)
class BlockRows:
    contracts: pl.DataFrame
    versions: pl.DataFrame

    @property
    def first_starts(self) -> pl.DataFrame:
        """person_id, opened_on: the start of each person's first registered contract."""
        return self.contracts.group_by("person_id").agg(opened_on=pl.col("start_on").min())


def block_rows(
    rng: np.random.Generator,
    people: People,
    context: Context,
    *,
    first_contract_id: int,
    first_version_id: int,
) -> BlockRows:
    """The contracts and versions of one block; ids continue from the ones given."""
    spells = careers(rng, people, as_of=context.as_of, minimum_age=context.minimum_age)
    spells = _take(spells, np.lexsort((spells.start, spells.person)))
    region = people.region[spells.person]
    employer = context.employers.choose(rng, region)
    employer, kept = _distinct_employers(rng, context.employers, spells, employer, region)
    spells, employer = _take(spells, kept), employer[kept]
    sector = context.employers.sector[employer]
    occupation = context.occupations.choose(rng, sector)
    birth = people.birth_day[spells.person]
    hours = context.pay.hours(rng, spells.is_main, (spells.start - birth) / YEAR)
    wage = context.pay.wages(
        rng,
        start_day=spells.start,
        sector=sector,
        group=context.occupations.group[occupation],
        hours=hours,
    )
    probation = context.pay.probation(rng, len(spells))
    ground = context.grounds.choose(
        rng,
        cause=spells.cause,
        is_state=sector == STATE,
        age_at_end=(np.minimum(spells.end, day_number(context.as_of)) - birth) / YEAR,
        is_male=people.is_male[spells.person],
        in_probation=spells.end < spells.start + probation * MONTH,
    )
    last_day = day_number(context.as_of) - 1
    suspended_from = suspensions(rng, spells, last_day)
    terms = pl.DataFrame(
        {
            "contract": np.arange(len(spells)),
            "id": first_contract_id + np.arange(len(spells)),
            "employer_id": context.employers.id[employer],
            "person_id": people.id[spells.person],
            "occupation_id": context.occupations.id[occupation],
            "position": context.occupations.title.gather(occupation),
            "workplace": context.employers.workplace.gather(employer),
            "weekly_hours": hours,
            "term": np.where(spells.term_days > 0, ContractTerm.FIXED, ContractTerm.INDEFINITE),
            "probation_months": probation,
            "is_main_job": spells.is_main,
        }
    )
    notified = notices(
        rng,
        spells,
        context.pay,
        hours=hours,
        wage=wage,
        ground=ground,
        suspended_from=suspended_from,
        last_day=last_day,
    )
    versions = _versions(notified, terms, first_version_id)
    contracts = _contracts(terms, versions, spells, suspended_from)
    return BlockRows(contracts, versions.drop("contract", "concluded"))


def _take(spells: Spells, at: IntArray) -> Spells:
    return Spells(*(getattr(spells, name)[at] for name in Spells.__annotations__))


def _distinct_employers(
    rng: np.random.Generator,
    employers: Employers,
    spells: Spells,
    employer: IntArray,
    region: IntArray,
) -> tuple[IntArray, IntArray]:
    """Redraw the employer of a secondary job that overlaps a main job with the same employer.

    Labour law lets one employer hold one contract with a person at a time (the register's
    constraint on live contracts); after a few rounds a job that still clashes (only in a
    registry with a handful of employers) is left out. Returns the employers and the spells kept.
    """
    employer = employer.copy()
    main = pl.DataFrame(
        {
            "person": spells.person[spells.is_main],
            "employer": employer[spells.is_main],
            "start": spells.start[spells.is_main],
            "end": spells.end[spells.is_main],
        }
    )
    secondary = np.flatnonzero(~spells.is_main)
    clash = np.zeros(0, dtype=np.int64)
    for _ in range(DISTINCT_EMPLOYER_ROUNDS):
        side = pl.DataFrame(
            {
                "at": secondary,
                "person": spells.person[secondary],
                "employer": employer[secondary],
                "s_start": spells.start[secondary],
                "s_end": spells.end[secondary],
            }
        )
        clash = (
            side.join(main, on=["person", "employer"])
            .filter((pl.col("start") <= pl.col("s_end")) & (pl.col("s_start") <= pl.col("end")))
            .get_column("at")
            .unique()
            .sort()
            .to_numpy()
        )
        if clash.size == 0:
            break
        employer[clash] = employers.choose(rng, region[clash])
        secondary = clash
    kept = np.setdiff1d(np.arange(len(spells)), clash)
    return employer, kept


def _date(column: str) -> pl.Expr:
    """Day numbers to dates; negative numbers and NEVER are no date."""
    value = pl.col(column)
    return pl.when((value >= 0) & (value < NEVER)).then(value).cast(pl.Int32).cast(pl.Date)


def _versions(notices: pl.DataFrame, terms: pl.DataFrame, first_id: int) -> pl.DataFrame:
    """Version rows: each notification with the terms in force after it."""
    carried = [
        pl.when(pl.col(name) >= 0).then(pl.col(name)).forward_fill().over("contract").alias(name)
        for name in ("set_wage", "set_fixed_end")
    ]
    frame = (
        notices.with_columns(carried)
        .join(terms.drop("employer_id", "person_id").rename({"id": "contract_id"}), on="contract")
        .sort("contract", "number")
    )
    return frame.select(
        pl.int_range(first_id, first_id + pl.len(), dtype=pl.Int64).alias("id"),
        "contract",
        "contract_id",
        "number",
        pl.col("kind").replace_strict(list(range(4)), [n.value for n in NOTICES]).alias("notice"),
        _date("effective").alias("effective_on"),
        pl.when(pl.col("ground") >= 0).then(pl.col("ground")).alias("termination_ground_id"),
        "registered_at",
        pl.lit(Assurance.REGISTER_IMPORT.value).alias("assurance"),
        "is_late",
        "occupation_id",
        "position",
        "workplace",
        pl.col("set_wage").alias("monthly_wage_qepik"),
        "weekly_hours",
        "term",
        _date("set_fixed_end").alias("fixed_end_on"),
        "probation_months",
        "is_main_job",
        pl.col("concluded"),
    )


def _contracts(
    terms: pl.DataFrame, versions: pl.DataFrame, spells: Spells, suspended_from: IntArray
) -> pl.DataFrame:
    """Contract rows: the terms of the last version, the conclusion's registration."""
    last = versions.group_by("contract").agg(
        pl.col("monthly_wage_qepik").last(),
        pl.col("fixed_end_on").last(),
        pl.col("number").max().alias("version"),
        pl.col("registered_at").first(),
        pl.col("is_late").first(),
        pl.col("concluded").first(),
        pl.col("termination_ground_id").last(),
    )
    dates = pl.DataFrame(
        {
            "contract": np.arange(len(spells)),
            "start": spells.start,
            "end": spells.end,
            "suspended": suspended_from,
        }
    )
    in_force = pl.col("end") >= NEVER
    status = (
        pl.when(~in_force)
        .then(pl.lit(ContractStatus.TERMINATED.value))
        .when(pl.col("suspended") >= 0)
        .then(pl.lit(ContractStatus.SUSPENDED.value))
        .otherwise(pl.lit(ContractStatus.ACTIVE.value))
    )
    return (
        terms.join(last, on="contract")
        .join(dates, on="contract")
        .sort("contract")
        .select(
            "id",
            "employer_id",
            "person_id",
            "occupation_id",
            "position",
            "workplace",
            "monthly_wage_qepik",
            "weekly_hours",
            "term",
            "fixed_end_on",
            "probation_months",
            "is_main_job",
            _date("concluded").alias("concluded_on"),
            _date("start").alias("start_on"),
            status.alias("status"),
            _date("suspended").alias("suspended_from"),
            _date("end").alias("terminated_on"),
            "termination_ground_id",
            "registered_at",
            "is_late",
            "version",
        )
    )
