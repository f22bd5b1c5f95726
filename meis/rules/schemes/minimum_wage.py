"""Minimum-wage check for an employment contract (minimum aylıq əmək haqqı).

The monthly wage in a contract must not be below the minimum monthly wage in force; for a
part-time contract the minimum is pro rata to the weekly hours (40-hour full week [M]).
"""

from __future__ import annotations

import polars as pl

from meis.rules import money
from meis.rules.engine import Fact, Params, Scheme

scheme = Scheme(
    name="minimum_wage",
    title="Minimum-wage check",
    doc=__doc__ or "",
    facts=(
        Fact("monthly_wage_qepik", "money", "Monthly wage agreed in the contract"),
        Fact("weekly_hours", "int", "Working hours per week agreed in the contract"),
    ),
    outcome="is_compliant",
    requirements=("is_compliant",),
)


@scheme.impossible
def weekly_hours_above_a_week(p: Params) -> pl.Expr:
    """More working hours a week than a week has (168)."""
    return pl.col("weekly_hours") > 7 * 24


@scheme.rule
def required_wage_qepik(p: Params) -> pl.Expr:
    """Minimum wage pro rata to the weekly hours (full minimum at or above a full week)."""
    full = p.whole("labour.full_time_weekly_hours")
    hours = pl.col("weekly_hours").clip(upper_bound=full)
    return money.divide(p.money("labour.minimum_wage") * hours, full, rounding=p.rounding)


@scheme.rule
def is_compliant(p: Params) -> pl.Expr:
    """True when the agreed wage is at least the required wage."""
    return pl.col("monthly_wage_qepik") >= pl.col("required_wage_qepik")


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """Shortfall: how much the wage is below the required wage (0 when compliant)."""
    return (pl.col("required_wage_qepik") - pl.col("monthly_wage_qepik")).clip(lower_bound=0)
