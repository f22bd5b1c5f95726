"""Facts that cannot be true together, shared by several schemes (``scheme.impossible(...)``).

Each check is an expression true for a row whose facts are impossible; its message, in az / en /
ru, is under ``impossible`` in ``explanations.yaml`` (named like the function). A check refuses
only what cannot be true whatever the law says, never what the law merely does not allow: that
is a requirement or a refusal ground of the scheme.
"""

from __future__ import annotations

import calendar
from datetime import date

import polars as pl

from meis.rules.engine import Params


def born_after_evaluation_date(p: Params) -> pl.Expr:
    """The person is born after the evaluation date."""
    return pl.col("birth_on") > pl.lit(p.on)


def insurance_record_longer_than_life(p: Params) -> pl.Expr:
    """The insurance record is longer than the person's life up to the evaluation date (for a
    person born by then: a later birth is its own impossibility)."""
    return (pl.col("birth_on") <= pl.lit(p.on)) & (
        pl.col("insurance_record_months") > _months_lived(pl.col("birth_on"), p.on)
    )


def _months_lived(birth: pl.Expr, on: date) -> pl.Expr:
    """``dates.completed_months`` from birth to a fixed date, the same convention, without its
    look-up tables (which cost more than the rest of a one-row evaluation)."""
    is_month_end = on.day == calendar.monthrange(on.year, on.month)[1]
    birth_month = birth.dt.year().cast(pl.Int64) * 12 + birth.dt.month().cast(pl.Int64)
    day_not_reached = (birth.dt.day() > on.day) & (not is_month_end)
    return (on.year * 12 + on.month) - birth_month - day_not_reached.cast(pl.Int64)
