"""Terms: who employs each contract, in what occupation, for how many hours and what wage, and
on what ground it ended.

* **Employers**: a contract's sector is drawn at its share of contracts (`SECTOR_SHARES`), then
  an employer of that sector by a log-normal size (sole proprietors small): 80 % of the person's
  own region, the rest anywhere [M].
* **Occupations** follow the sector by ISCO major group (`MAJOR_GROUP_P`) [M], uniformly within a
  group among the occupations the classifier holds.
* **Hours**: most main jobs full-time (40 h, `labour.full_time_weekly_hours`), some part-time;
  secondary jobs part-time; minors never above their reduced week (`labour.weekly_hours_under_16`,
  `labour.weekly_hours_under_18`).
* **Wages**: log-normal around the national average wage of the starting year, higher in oil and
  for managers, pro rata to the hours, never below the minimum wage for the hours on the first
  day — the rules' `minimum_wage` scheme decides that, as it does for a notification.
* **Grounds**: mostly the employee's initiative and the parties' agreement, some staff
  reduction, liquidation and other employer grounds (`QUIT_GROUNDS`); expiry of a fixed term,
  retirement and death have grounds of their own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import polars as pl

from meis.labour.models import Initiator
from meis.registry.models import EmployerSector, LegalForm
from meis.registry.synthetic.base import (
    EPOCH,
    YEAR,
    BoolArray,
    FloatArray,
    GeneratorError,
    IntArray,
)
from meis.registry.synthetic.households import REGIONS
from meis.rules.engine import evaluate_batch
from meis.rules.schemes import get_scheme
from meis.rules.store import ParameterStore

from .careers import DIED, EXPIRED, QUIT, RETIRED

SECTORS = tuple(EmployerSector)
STATE, OIL, PRIVATE = (SECTORS.index(s) for s in SECTORS)
# Share of contracts by the employer's sector. Public ≈ 55 % [D]: 62 % of contracts on
# 1 Jan 2020 (641.5 k private of ≈ 1.69 M) and 54.5 % of hired employees on 1 Dec 2020
# (917.8 k of 1.68 M), docs/domain.md §12. Oil and gas 3 % [M].
SECTOR_SHARES = {
    EmployerSector.STATE: 0.55,
    EmployerSector.OIL: 0.03,
    EmployerSector.NON_OIL_PRIVATE: 0.42,
}
EMPLOYER_SIZE_SIGMA = 1.3  # [M]
SOLE_PROPRIETOR_SIZE = 0.1  # relative to other employers [M]
LOCAL_SHARE = 0.8  # [M]

# Occupations by ISCO-08 major group 0..9 (armed forces, managers, professionals, technicians,
# clerks, service and sales, agriculture, craft, operators, elementary), per sector [M].
MAJOR_GROUP_P = {
    STATE: (0.04, 0.04, 0.34, 0.15, 0.12, 0.13, 0.02, 0.05, 0.04, 0.07),
    OIL: (0.00, 0.05, 0.20, 0.20, 0.05, 0.03, 0.00, 0.20, 0.20, 0.07),
    PRIVATE: (0.00, 0.05, 0.10, 0.10, 0.10, 0.25, 0.04, 0.15, 0.10, 0.11),
}
GROUP_WAGE = np.array([1.1, 1.9, 1.25, 1.05, 0.85, 0.75, 0.6, 0.95, 1.0, 0.6])  # [M]
SECTOR_WAGE = np.array([0.85, 3.0, 1.0])  # state, oil, non-oil private [M]
WAGE_SIGMA = 0.5  # spread of the log wage [M]
# Average wage of the years the parameters do not cover: the 2017 average less 5 % a year [M].
EARLY_WAGE_DECLINE = 0.95
FIRST_YEAR = 1950

MAIN_HOURS, MAIN_HOURS_P = np.array([40, 36, 30, 24, 20]), np.array([0.86, 0.05, 0.04, 0.03, 0.02])
SECOND_HOURS, SECOND_HOURS_P = np.array([20, 16, 24, 10, 30]), np.array([0.4, 0.2, 0.2, 0.1, 0.1])
PROBATION_SHARE = 0.45  # [M]

# Grounds by code (meis/labour/data/termination_grounds.yaml) and weight [M].
QUIT_GROUNDS = {
    "69.1": 0.28,
    "68.2.a": 0.20,
    "75.2.a": 0.25,
    "70.b": 0.09,
    "70.a": 0.05,
    "70.ch": 0.03,
    "70.c": 0.01,
    "75.2.ch": 0.03,
    "74.conscription": 0.04,
    "74.sentence": 0.01,
    "74.incapacity": 0.01,
}
PROBATION_GROUND, PROBATION_FAILED = "70.d", 0.3
CONSCRIPTION, CONSCRIPTION_AGES = "74.conscription", (18, 30)
RETIREMENT_GROUNDS = {"69.1": 0.5, "75.2.a": 0.4, "70.e": 0.1}
AGE_LIMIT_GROUND, AGE_LIMIT = "70.e", 65  # state-budget employers only
EXPIRY_GROUNDS = {"73": 0.8, "68.2.b": 0.2}
DEATH_GROUNDS = {"74.death": 1.0}
# What to cite when the grounds file lacks a code above: the first active ground of this kind.
FALLBACK = {
    QUIT: Initiator.EMPLOYEE,
    RETIRED: Initiator.EMPLOYEE,
    EXPIRED: Initiator.EXPIRY,
    DIED: Initiator.DEATH,
}


@dataclass(frozen=True)
class Employers:
    """Employers with their sampling weights, ordered by sector and region.

    A contract draws its sector first, at the sector's share, then an employer of that sector
    by size: of the person's region mostly, anywhere otherwise (or when the region has none of
    that sector) — so the sector split holds in a registry of any size.
    """

    id: IntArray  # in (sector, region) order
    sector: IntArray
    workplace: pl.Series
    cumulative: FloatArray  # running sum of the weights, in that order
    cell_low: FloatArray  # [sector, region]: the running sum before the cell's first employer
    cell_high: FloatArray
    sector_p: FloatArray  # chance of each sector (the shares of those present)

    @classmethod
    def weighted(cls, frame: pl.DataFrame, rng: np.random.Generator) -> Employers:
        """From columns id, sector, region, legal_form, workplace (ordered by id)."""
        if frame.height == 0:
            raise GeneratorError("the registry has no employers; run `meis registry generate`")
        sector = np.array([SECTORS.index(EmployerSector(s)) for s in frame["sector"].to_list()])
        region = np.array([REGIONS.index(r) for r in frame["region"].to_list()], dtype=np.int64)
        weight = rng.lognormal(0, EMPLOYER_SIZE_SIGMA, frame.height)
        sole = (frame["legal_form"] == LegalForm.SOLE_PROPRIETOR).to_numpy()
        weight *= np.where(sole, SOLE_PROPRIETOR_SIZE, 1)
        cell = sector * len(REGIONS) + region
        order = np.argsort(cell, kind="stable")
        cumulative = np.cumsum(weight[order])
        bounds = np.searchsorted(cell[order], np.arange(len(SECTORS) * len(REGIONS) + 1))
        before = np.concatenate([[0.0], cumulative])
        shape = (len(SECTORS), len(REGIONS))
        present = np.bincount(sector, minlength=len(SECTORS)) > 0
        target = np.array([SECTOR_SHARES[s] for s in SECTORS]) * present
        return cls(
            id=frame["id"].to_numpy()[order],
            sector=sector[order],
            workplace=frame["workplace"].gather(order),
            cumulative=cumulative,
            cell_low=before[bounds[:-1]].reshape(shape),
            cell_high=before[bounds[1:]].reshape(shape),
            sector_p=target / target.sum(),
        )

    def choose(self, rng: np.random.Generator, region: IntArray) -> IntArray:
        """An employer (index) for each contract: its sector by share, then by size."""
        n = region.size
        sector = rng.choice(len(SECTORS), size=n, p=self.sector_p)
        low, high = self.cell_low[sector, region], self.cell_high[sector, region]
        local = (rng.random(n) < LOCAL_SHARE) & (high > low)
        low = np.where(local, low, self.cell_low[sector, 0])
        high = np.where(local, high, self.cell_high[sector, -1])
        target = low + rng.random(n) * (high - low)
        found = np.searchsorted(self.cumulative, target, side="right")
        return np.minimum(found, self.id.size - 1)


@dataclass(frozen=True)
class Occupations:
    """The classifier's occupations in use, with each sector's chance of each."""

    id: IntArray
    group: IntArray  # ISCO major group, the code's first digit
    title: pl.Series
    p: dict[int, FloatArray]  # sector -> probability of each occupation

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> Occupations:
        """From columns id, code, title_az."""
        if frame.height == 0:
            raise GeneratorError(
                "the occupation classifier is empty; run `meis labour classifiers`"
            )
        group = frame["code"].str.slice(0, 1).cast(pl.Int64).to_numpy()
        sizes = np.bincount(group, minlength=10)
        p = {}
        for sector, shares in MAJOR_GROUP_P.items():
            raw = np.array(shares)[group] / sizes[group]
            p[sector] = raw / raw.sum() if raw.sum() > 0 else np.full(group.size, 1 / group.size)
        return cls(frame["id"].to_numpy(), group, frame["title_az"], p)

    def choose(self, rng: np.random.Generator, sector: IntArray) -> IntArray:
        chosen = np.zeros(sector.size, dtype=np.int64)
        for s, p in self.p.items():
            at = np.flatnonzero(sector == s)
            chosen[at] = rng.choice(p.size, size=at.size, p=p)
        return chosen


@dataclass(frozen=True)
class Pay:
    """Hours and wages: the minimum wage for every period and number of hours, and averages."""

    minimum_from: IntArray  # day each minimum wage took effect
    minimum: dict[int, IntArray]  # hours -> required wage (qəpik) in each period
    full_time: int
    under_16_hours: int
    under_18_hours: int
    longest_probation: int
    average_by_year: FloatArray  # from FIRST_YEAR
    wage_factor: float  # makes the mean of the multipliers 1 over the sector shares

    @classmethod
    def from_rules(cls, store: ParameterStore, as_of: datetime.date) -> Pay:
        def whole(name: str) -> int:
            return whole_value(store.value(name, on=as_of))

        limits = [
            whole(f"labour.{name}")
            for name in ("full_time_weekly_hours", "weekly_hours_under_16", "weekly_hours_under_18")
        ]
        hours = np.union1d(np.union1d(MAIN_HOURS, SECOND_HOURS), limits)
        on = [p.start for p in store.parameter("labour.minimum_wage").periods]
        minimum = {int(h): np.zeros(len(on), dtype=np.int64) for h in hours}
        scheme = get_scheme("minimum_wage")
        for i, day in enumerate(on):
            facts = pl.DataFrame(
                {"monthly_wage_qepik": np.zeros(hours.size, np.int64), "weekly_hours": hours}
            )
            required = evaluate_batch(scheme, facts, on=day, store=store)["required_wage_qepik"]
            for h, r in zip(hours, required.to_list(), strict=True):
                minimum[int(h)][i] = r
        shares = np.array([SECTOR_SHARES[s] for s in SECTORS])
        mean = sum(
            shares[s] * SECTOR_WAGE[s] * np.dot(MAJOR_GROUP_P[s], GROUP_WAGE) for s in MAJOR_GROUP_P
        )
        return cls(
            minimum_from=np.array([(d - EPOCH).days for d in on], dtype=np.int64),
            minimum=minimum,
            full_time=limits[0],
            under_16_hours=limits[1],
            under_18_hours=limits[2],
            longest_probation=whole("labour.longest_probation_months"),
            average_by_year=_average_wages(store),
            wage_factor=1 / float(mean),
        )

    def required(self, day: IntArray, hours: IntArray) -> IntArray:
        """The minimum wage for the hours in force on each day (the earliest one before it was first fixed)."""
        period = np.maximum(0, np.searchsorted(self.minimum_from, day, side="right") - 1)
        required = np.zeros(day.size, dtype=np.int64)
        for h, by_period in self.minimum.items():
            at = hours == h
            required[at] = by_period[period[at]]
        return required

    def hours(
        self, rng: np.random.Generator, is_main: BoolArray, age_at_start: FloatArray
    ) -> IntArray:
        main = rng.choice(MAIN_HOURS, size=is_main.size, p=MAIN_HOURS_P)
        second = rng.choice(SECOND_HOURS, size=is_main.size, p=SECOND_HOURS_P)
        hours = np.where(is_main, main, second)
        cap = np.where(age_at_start < 16, self.under_16_hours, self.under_18_hours)
        return np.minimum(hours, np.where(age_at_start < 18, cap, self.full_time))

    def average_wage(self, year: IntArray) -> FloatArray:
        """National average monthly wage (qəpik) of each year (1950–2100)."""
        return self.average_by_year[np.clip(year - FIRST_YEAR, 0, self.average_by_year.size - 1)]

    def wages(
        self,
        rng: np.random.Generator,
        *,
        start_day: IntArray,
        sector: IntArray,
        group: IntArray,
        hours: IntArray,
    ) -> IntArray:
        """Monthly wage in qəpik: whole manats, at least the minimum for the hours."""
        year = 1970 + (start_day / YEAR).astype(np.int64)
        mean = self.average_wage(year) * SECTOR_WAGE[sector] * GROUP_WAGE[group] * self.wage_factor
        full = mean * rng.lognormal(-(WAGE_SIGMA**2) / 2, WAGE_SIGMA, start_day.size)
        wage = np.round(full * hours / self.full_time / 100).astype(np.int64) * 100
        floored: IntArray = np.maximum(wage, self.required(start_day, hours))
        return floored

    def probation(self, rng: np.random.Generator, n: int) -> IntArray:
        months = rng.integers(1, self.longest_probation + 1, n)
        return np.where(rng.random(n) < PROBATION_SHARE, months, 0).astype(np.int64)


def _average_wages(store: ParameterStore) -> FloatArray:
    """The average wage of each year from `FIRST_YEAR` (qəpik): a year's average is in force
    from 1 January of the next; earlier years decline from the first known one, later years
    keep the last."""
    periods = store.parameter("labour.average_monthly_wage_previous_year").periods
    known = {p.start.year - 1: whole_value(p.value) for p in periods}
    first, last = min(known), max(known)
    years = range(FIRST_YEAR, 2101)
    return np.array(
        [
            known[first] * EARLY_WAGE_DECLINE ** (first - y) if y < first else known[min(y, last)]
            for y in years
        ],
        dtype=np.float64,
    )


def whole_value(value: object) -> int:
    """A parameter's whole value (hours, months, qəpik)."""
    if not isinstance(value, int | Decimal):
        raise GeneratorError(f"expected a number in the parameters, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class Grounds:
    """Termination grounds in use: code -> id, and the fallback of each cause."""

    by_code: dict[str, int]
    fallback: dict[int, int]

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> Grounds:
        """From columns id, code, initiated_by (ordered by code)."""
        by_code = dict(zip(frame["code"].to_list(), frame["id"].to_list(), strict=True))
        fallback = {}
        for cause, initiator in FALLBACK.items():
            of_kind = frame.filter(pl.col("initiated_by") == initiator.value)["id"]
            if of_kind.is_empty():
                raise GeneratorError(
                    f"no termination ground initiated by {initiator.value!r} is in use; "
                    "run `meis labour classifiers`"
                )
            fallback[cause] = int(of_kind[0])
        return cls(by_code, fallback)

    def _draw(
        self, rng: np.random.Generator, weights: dict[str, float], cause: int, n: int
    ) -> IntArray:
        ids = np.array([self.by_code.get(code, self.fallback[cause]) for code in weights])
        p = np.array(list(weights.values()))
        return ids[rng.choice(ids.size, size=n, p=p / p.sum())]

    def choose(
        self,
        rng: np.random.Generator,
        *,
        cause: IntArray,
        is_state: BoolArray,
        age_at_end: FloatArray,
        is_male: BoolArray,
        in_probation: BoolArray,
    ) -> IntArray:
        """A ground id for each ended contract (-1 where it is still in force)."""
        n = cause.size
        ground = np.full(n, -1, dtype=np.int64)
        for c, weights in (
            (QUIT, QUIT_GROUNDS),
            (RETIRED, RETIREMENT_GROUNDS),
            (EXPIRED, EXPIRY_GROUNDS),
            (DIED, DEATH_GROUNDS),
        ):
            at = cause == c
            ground[at] = self._draw(rng, weights, c, int(at.sum()))
        own_request = self.by_code.get("69.1", self.fallback[QUIT])
        low, high = CONSCRIPTION_AGES
        called_up = is_male & (age_at_end >= low) & (age_at_end < high)
        if CONSCRIPTION in self.by_code:
            ground[(ground == self.by_code[CONSCRIPTION]) & ~called_up] = own_request
        if AGE_LIMIT_GROUND in self.by_code:
            too_young = ~is_state | (age_at_end < AGE_LIMIT)
            ground[(ground == self.by_code[AGE_LIMIT_GROUND]) & too_young] = own_request
        if PROBATION_GROUND in self.by_code:
            failed = (cause == QUIT) & in_probation & (rng.random(n) < PROBATION_FAILED)
            ground[failed] = self.by_code[PROBATION_GROUND]
        return ground
