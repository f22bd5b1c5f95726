"""Columns the generator draws: the random streams, choices by share, dates and moments."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from meis.registry.synthetic.base import IntArray
from meis.registry.synthetic.households import REGIONS

EMPLOYMENT_STREAM = 1_000_000_033
SEEKERS, VACANCIES, REFERRALS, PEOPLE = range(4)
BAKU = ZoneInfo("Asia/Baku")


def pick(rng: np.random.Generator, shares: dict[str, float] | dict[Any, float], n: int) -> Any:
    keys = np.array([str(k) for k in shares])
    p = np.array(list(shares.values()), dtype=np.float64)
    return keys[rng.choice(keys.size, size=n, p=p / p.sum())]


def region_indexes(region: Any) -> IntArray:
    names = [str(r) for r in REGIONS]
    return np.array(
        pl.Series(region).replace_strict(names, list(range(len(names))), return_dtype=pl.Int64)
    )


def dates(days: IntArray, where: Any = None) -> pl.Series:
    series = pl.Series(days).cast(pl.Int32).cast(pl.Date)
    if where is None:
        return series
    return pl.select(pl.when(pl.Series(where)).then(series)).to_series()


def moments(days: IntArray, hours: IntArray, minutes: IntArray) -> pl.Series:
    """The moments (UTC) of the given Baku wall-clock times of days since 1970."""
    local = (days * 86_400 + hours * 3_600 + minutes * 60) * 1_000_000
    return (
        pl.Series(local)
        .cast(pl.Datetime("us"))
        .dt.replace_time_zone(str(BAKU))
        .dt.convert_time_zone("UTC")
    )


def years_before(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)
