"""Notifications: the conclusion, amendments, suspension and termination that made each
contract, and when each was registered.

Every contract gets its conclusion; an amendment for each extension of a fixed term and for each
rise of the minimum wage above its wage; a suspension for the few suspended now; its
termination. Each is registered on a working-day hour near its effective date, a few late
(`LATE_SHARE`); the contracts in force on 1 Jul 2014 were notified by the extended deadline of
1 Oct 2014 (docs/domain.md §6) and are not late.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from meis.registry.synthetic.base import BoolArray, IntArray, day_number

from .careers import IN_FORCE, REGISTER_START, Spells
from .terms import Pay

LATE_SHARE = 0.03  # of notifications [M]
SUSPENDED_SHARE = 0.01  # of contracts in force [M]
INHERITED_NOTICE_DAYS = 92  # 1 Jul – 30 Sep 2014
CONCLUSION, AMENDMENT, SUSPENSION, TERMINATION = range(4)
BAKU_OFFSET = 4 * 3600  # registration hours are 09:00–18:00 in Baku, UTC+4 (+5 before 2016)
DAY = 86_400


def suspensions(rng: np.random.Generator, spells: Spells, last_day: int) -> IntArray:
    """The day a suspended contract was suspended (-1 for the others): within the last year."""
    n = len(spells)
    back = rng.integers(0, 365, n)
    suspended = (spells.cause == IN_FORCE) & (rng.random(n) < SUSPENDED_SHARE)
    suspended &= spells.start < last_day
    return np.where(suspended, np.maximum(spells.start + 1, last_day - back), -1)


def notices(
    rng: np.random.Generator,
    spells: Spells,
    pay: Pay,
    *,
    hours: IntArray,
    wage: IntArray,
    ground: IntArray,
    suspended_from: IntArray,
    last_day: int,
) -> pl.DataFrame:
    """Every notification: contract, notice, effective day, the terms it changes, registration."""
    n = len(spells)
    every = np.arange(n)
    fixed_end = spells.fixed_end(spells.first_terms)
    parts = [
        _part(
            every,
            CONCLUSION,
            spells.start,
            wage=wage,
            fixed_end=fixed_end,
            inherited=spells.is_inherited,
        ),
    ]
    # Extensions of a fixed term: from the day after each term ends, for the same term again.
    extended = np.repeat(every, spells.extensions)
    nth = np.arange(extended.size) - np.repeat(
        np.cumsum(spells.extensions) - spells.extensions, spells.extensions
    )
    terms_run = spells.first_terms[extended] + nth
    effective = spells.start[extended] + terms_run * spells.term_days[extended]
    parts.append(
        _part(extended, AMENDMENT, effective, fixed_end=effective + spells.term_days[extended] - 1)
    )
    # Rises of the minimum wage: the wage goes up to the new minimum for the hours.
    current = wage.copy()
    for day in pay.minimum_from:
        required = pay.required(np.full(n, day), hours)
        raised = (spells.start < day) & (spells.end >= day) & (day <= last_day)
        raised &= current < required
        parts.append(
            _part(every[raised], AMENDMENT, np.full(int(raised.sum()), day), wage=required[raised])
        )
        current = np.where(raised, required, current)
    suspended = suspended_from >= 0
    parts.append(_part(every[suspended], SUSPENSION, suspended_from[suspended]))
    ended = spells.cause != IN_FORCE
    parts.append(_part(every[ended], TERMINATION, spells.end[ended], ground=ground[ended]))
    notices = pl.concat(parts)
    return _registered(rng, notices, last_day)


def _part(
    contract: IntArray,
    notice: int,
    effective: IntArray,
    *,
    wage: IntArray | None = None,
    fixed_end: IntArray | None = None,
    ground: IntArray | None = None,
    inherited: BoolArray | None = None,
) -> pl.DataFrame:
    m = contract.size
    return pl.DataFrame(
        {
            "contract": contract,
            "kind": np.full(m, notice),
            "effective": effective,
            "set_wage": wage if wage is not None else np.full(m, -1),
            "set_fixed_end": fixed_end if fixed_end is not None else np.full(m, -1),
            "ground": ground if ground is not None else np.full(m, -1),
            "inherited": inherited if inherited is not None else np.zeros(m, dtype=bool),
        },
        schema={
            "contract": pl.Int64,
            "kind": pl.Int64,
            "effective": pl.Int64,
            "set_wage": pl.Int64,
            "set_fixed_end": pl.Int64,
            "ground": pl.Int64,
            "inherited": pl.Boolean,
        },
    )


def _registered(rng: np.random.Generator, notices: pl.DataFrame, last_day: int) -> pl.DataFrame:
    """When each notification was registered, and whether it was late.

    On time, a conclusion is registered between the day it was concluded and the first day of
    work, an amendment up to ten days before it takes effect, a suspension up to three days
    before, a termination on its day; late, some days after. Nothing is registered after the day
    before `as_of`, and within a contract each registration follows the one before (a minute at
    least): a termination is never registered before the conclusion it ends.
    """
    m = notices.height
    kind = notices["kind"].to_numpy()
    effective = notices["effective"].to_numpy()
    inherited = notices["inherited"].to_numpy()
    concluded = effective - np.where(kind == CONCLUSION, rng.integers(0, 15, m), 0)
    early = np.select(
        [kind == CONCLUSION, kind == AMENDMENT, kind == SUSPENSION],
        [
            concluded + (rng.random(m) * (effective - concluded + 1)).astype(np.int64),
            effective - rng.integers(0, 11, m),
            effective - rng.integers(0, 4, m),
        ],
        default=effective,
    )
    late_by = np.where(kind == TERMINATION, rng.integers(1, 31, m), rng.integers(1, 21, m))
    late = rng.random(m) < LATE_SHARE
    day = np.where(late & (effective + late_by <= last_day), effective + late_by, early)
    day = np.minimum(day, last_day)
    start_day = day_number(REGISTER_START)
    day = np.where(inherited, start_day + rng.integers(0, INHERITED_NOTICE_DAYS, m), day)
    seconds = day * DAY + 9 * 3600 - BAKU_OFFSET + rng.integers(0, 9 * 3600, m)
    frame = (
        notices.with_columns(concluded=concluded, seconds=seconds)
        .sort("contract", "effective", "kind")
        .with_columns(number=pl.int_range(1, pl.len() + 1).over("contract"))
    )
    # Each registration at least a minute after the one before, within the contract.
    shifted = pl.col("seconds") - 60 * pl.col("number")
    frame = frame.with_columns(seconds=shifted.cum_max().over("contract") + 60 * pl.col("number"))
    local_day = (pl.col("seconds") + BAKU_OFFSET) // DAY
    return frame.with_columns(
        is_late=(local_day > pl.col("effective")) & ~pl.col("inherited"),
        registered_at=pl.from_epoch("seconds", time_unit="s")
        .dt.cast_time_unit("us")
        .dt.replace_time_zone("UTC"),
    )
