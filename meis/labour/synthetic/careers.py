"""Careers: when each person holds a contract, from the register's start to the day before `as_of`.

Each person follows one career pattern: none (never a registered contract: informal work,
farming on one's own land, studies, care at home, emigration), *steady* (long contracts, short
gaps: the state sector's teachers and doctors, large companies) or *churning* (short contracts,
long gaps: seasonal, trade, construction). Some steady and churning people also hold secondary
jobs, a career of their own. A career is an alternating renewal process: contract lengths and
gaps are exponential, so a contract in force on 1 Jul 2014 has an exponential remaining length
too, and the first gap of someone out of work is a full gap.

Working life runs from an entry age (18 + a few years; a few start at 15–17 with the reduced
hours of minors) to an exit age near the pension age; a contract in force at the exit age ends
then, one in force at death ends on the day of death. A quarter of the people with a career
formalise only later (their first registered contract cannot start before a date spread evenly
over 2014–2023), so the register grows, as the real one did by informal work becoming registered.

The figures are calibrated so that a registry with the country's age pyramid gets, per 10 M
people on 1 Mar 2020, about 1.85 M contracts in force, 1.0 M concluded and 0.94 M terminated a
year, 15 % of the contracts in force fixed-term and 5 % secondary (measured on 1 M people;
`meis/labour/tests/test_synthetic.py` holds 20 000 to it). The growth is even: about 1.35 M in
force on 1 Jan 2015 and 1.77 M on 1 Jan 2019, where docs/domain.md §12 derives ≈ 1.40 M for
2019 and 1.69 M a year later — the real register jumped in 2019, this one does not [M]. Every
figure below is ours [M] unless a source is named.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from meis.registry.synthetic.base import YEAR, BoolArray, IntArray, day_number

REGISTER_START = datetime.date(2014, 7, 1)  # docs/domain.md §6: live from June/July 2014
NEVER = np.iinfo(np.int64).max // 4  # "no such day": alive, or a contract still in force

# How a contract ended (or did not).
IN_FORCE, QUIT, EXPIRED, RETIRED, DIED = range(5)

FIXED_TERM_MONTHS = np.array([3, 6, 12, 24, 36])
FIXED_TERM_P = np.array([0.15, 0.25, 0.35, 0.15, 0.10])
FIXED_TERM_EXTENDED = 0.5  # chance that work goes on past a term and the contract is extended
MONTH = YEAR / 12


@dataclass(frozen=True)
class Pattern:
    """A career pattern: how often contracts start and how long they last."""

    share: float  # of all people (main careers) or of people with a career (secondary)
    employed_at_start: float  # chance of a contract in force on 1 Jul 2014
    contract_years: float  # mean length of a contract
    gap_years: float  # mean time between contracts
    fixed_term: float  # chance that a contract is fixed-term


STEADY = Pattern(
    share=0.34, employed_at_start=0.70, contract_years=8.0, gap_years=1.2, fixed_term=0.21
)
CHURNING = Pattern(
    share=0.40, employed_at_start=0.25, contract_years=0.85, gap_years=1.8, fixed_term=0.40
)
SECONDARY = Pattern(
    share=0.10, employed_at_start=0.20, contract_years=2.0, gap_years=4.0, fixed_term=0.15
)
FORMALISING_SHARE = 0.25
FORMALISING_YEARS = 9.0
ENTRY_AGE_MEAN_DELAY = 3.0  # years after the 18th birthday
MINOR_ENTRY_SHARE = 0.02  # start between 15 and 18
EXIT_AGE_MEAN, EXIT_AGE_SD, EXIT_AGE_LOW, EXIT_AGE_HIGH = 63.0, 2.5, 55.0, 72.0


@dataclass(frozen=True)
class People:
    """One block of the registry's people, as arrays (days since 1970-01-01)."""

    id: IntArray
    birth_day: IntArray
    died_day: IntArray  # NEVER if alive
    is_male: BoolArray
    region: IntArray  # index into `meis.registry.synthetic.households.REGIONS`

    def __len__(self) -> int:
        return int(self.id.size)


@dataclass(frozen=True)
class Spells:
    """Contracts as intervals: who, from when, until when, why it ended, and the fixed term."""

    person: IntArray  # index into the block's `People`
    start: IntArray
    end: IntArray  # the day it was terminated, NEVER if in force on `as_of`
    cause: IntArray  # IN_FORCE, QUIT, EXPIRED, RETIRED or DIED
    term_days: IntArray  # length of a fixed term, 0 if indefinite
    first_terms: IntArray  # terms run when it was registered (more than 1 if inherited)
    extensions: IntArray  # terms added by amendments while it was in the register
    is_main: BoolArray
    is_inherited: BoolArray  # in force when the register started: notified by 1 Oct 2014

    def fixed_end(self, terms: IntArray) -> IntArray:
        """Last day of the fixed term after `terms` terms (-1 if indefinite)."""
        return np.where(self.term_days > 0, self.start + terms * self.term_days - 1, -1)

    def __len__(self) -> int:
        return int(self.person.size)


def careers(
    rng: np.random.Generator, people: People, *, as_of: datetime.date, minimum_age: int
) -> Spells:
    """Every contract of a block of people: main careers, then secondary ones."""
    pattern = rng.choice(
        3, size=len(people), p=[1 - STEADY.share - CHURNING.share, STEADY.share, CHURNING.share]
    )
    entry_day, exit_day = _working_life(rng, people, minimum_age=minimum_age)
    secondary = (pattern > 0) & (rng.random(len(people)) < SECONDARY.share)
    parts = [
        _spells(rng, people, who, p, entry_day, exit_day, as_of=as_of, is_main=is_main)
        for who, p, is_main in (
            (pattern == 1, STEADY, True),
            (pattern == 2, CHURNING, True),
            (secondary, SECONDARY, False),
        )
    ]
    return Spells(
        *(
            np.concatenate([getattr(part, name) for part in parts])
            for name in Spells.__annotations__
        )
    )


def _working_life(
    rng: np.random.Generator, people: People, *, minimum_age: int
) -> tuple[IntArray, IntArray]:
    """The first day a person may start work and the day they stop (near the pension age)."""
    n = len(people)
    minor = rng.random(n) < MINOR_ENTRY_SHARE
    entry_age = np.where(
        minor,
        minimum_age + rng.random(n) * (18 - minimum_age),
        18 + rng.gamma(1.5, ENTRY_AGE_MEAN_DELAY / 1.5, n),
    )
    exit_age = np.clip(rng.normal(EXIT_AGE_MEAN, EXIT_AGE_SD, n), EXIT_AGE_LOW, EXIT_AGE_HIGH)
    # Whole days after the birthday: ceil keeps the entry on or after the minimum age.
    entry_day = people.birth_day + np.ceil(entry_age * YEAR).astype(np.int64)
    exit_day = people.birth_day + (exit_age * YEAR).astype(np.int64)
    return entry_day, exit_day


def _days(rng: np.random.Generator, mean_years: float, n: int) -> IntArray:
    """Exponential lengths in whole days, at least one."""
    return np.maximum(1, np.ceil(rng.exponential(mean_years * YEAR, n))).astype(np.int64)


def _spells(
    rng: np.random.Generator,
    people: People,
    members: BoolArray,
    pattern: Pattern,
    entry_day: IntArray,
    exit_day: IntArray,
    *,
    as_of: datetime.date,
    is_main: bool,
) -> Spells:
    """One career per member: contract after contract until the exit, death or `as_of`."""
    start_day, last_day = day_number(REGISTER_START), day_number(as_of) - 1
    who = np.flatnonzero(members)
    n = who.size
    limit = np.minimum(exit_day[who], people.died_day[who])  # no work on or after this day
    formal_from = np.where(
        rng.random(n) < FORMALISING_SHARE,
        start_day + (rng.random(n) * FORMALISING_YEARS * YEAR).astype(np.int64),
        start_day,
    )
    opens = np.maximum.reduce([np.full(n, start_day), entry_day[who], formal_from])
    inherited = (
        (entry_day[who] < start_day)
        & (formal_from <= start_day)
        & (limit > start_day)
        & (rng.random(n) < pattern.employed_at_start)
    )
    start = np.where(
        inherited,
        np.maximum(entry_day[who], start_day - _days(rng, pattern.contract_years, n)),
        opens + _days(rng, pattern.gap_years, n),
    )
    going = inherited | (start < np.minimum(limit, last_day + 1))
    person, start, limit, inherited = who[going], start[going], limit[going], inherited[going]
    parts: list[tuple[npt.NDArray[Any], ...]] = []
    while person.size:
        m = person.size
        # Inherited contracts: the remaining length from the register's start (memoryless).
        end = np.where(inherited, start_day, start) + _days(rng, pattern.contract_years, m) - 1
        term, first_term, extensions = _fixed_terms(rng, pattern, start, inherited, start_day)
        expires = (term > 0) & (start + (first_term + extensions) * term - 1 <= end)
        end = np.where(expires, start + (first_term + extensions) * term - 1, end)
        cause = np.where(expires, EXPIRED, QUIT)
        stops = end >= limit
        end = np.where(stops, limit, end)
        died = people.died_day[person] <= exit_day[person]
        cause = np.where(stops, np.where(died, DIED, RETIRED), cause)
        in_force = end > last_day
        end = np.where(in_force, NEVER, end)
        cause = np.where(in_force, IN_FORCE, cause)
        # Extensions notified: the term boundaries passed while the contract went on.
        passed = (np.minimum(end, last_day + 1) - start) // np.maximum(term, 1)
        extended = np.where(term > 0, np.clip(passed - first_term + 1, 0, extensions), 0)
        parts.append((person, start, end, cause, term, first_term, extended, inherited))
        next_start = end + 1 + _days(rng, pattern.gap_years, m)
        going = ~in_force & (next_start < np.minimum(limit, last_day + 1))
        person, start, limit = person[going], next_start[going], limit[going]
        inherited = np.zeros(person.size, dtype=bool)
    if not parts:
        parts.append(tuple(np.zeros(0, np.int64) for _ in range(8)))
    person, start, end, cause, term, first_term, extended, inherited = (
        np.concatenate(column) for column in zip(*parts, strict=True)
    )
    return Spells(
        person=person,
        start=start,
        end=end,
        cause=cause,
        term_days=term,
        first_terms=first_term,
        extensions=extended,
        is_main=np.full(person.size, is_main),
        is_inherited=inherited.astype(bool),
    )


def _fixed_terms(
    rng: np.random.Generator,
    pattern: Pattern,
    start: IntArray,
    inherited: BoolArray,
    start_day: int,
) -> tuple[IntArray, IntArray, IntArray]:
    """Term length in days (0: indefinite), terms run before the register, extensions allowed.

    When work goes on past a fixed term and neither party ends it, the contract is extended for
    the same term (Labour Code Art. 73.1, per meis/labour/data/termination_grounds.yaml): the
    register sees each extension as an amendment. An inherited contract's extensions before
    1 Jul 2014 are not in the register: its first registered term is the one running then.
    """
    m = start.size
    fixed = rng.random(m) < pattern.fixed_term
    months = rng.choice(FIXED_TERM_MONTHS, size=m, p=FIXED_TERM_P)
    term = np.where(fixed, np.round(months * MONTH), 0).astype(np.int64)
    running = (start_day - start) // np.maximum(term, 1) + 1  # the term running on 1 Jul 2014
    first_term = np.where(inherited & fixed, np.maximum(1, running), 1)
    extensions = rng.geometric(1 - FIXED_TERM_EXTENDED, m) - 1
    return term, first_term, extensions
