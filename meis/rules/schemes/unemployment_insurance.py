"""Unemployment-insurance benefit (işsizlikdən sığorta ödənişi).

Law "On unemployment insurance" (in force 1 Jan 2018) and its 2020 amendment [start date M].
2018 version: dismissal by liquidation or staff reduction, registered unemployed, at least
3 years of record; with more than 12 months of record in the last 24 months the benefit is
50 / 55 / 60 % of the lost average wage for 3–5 / 5–10 / over 10 years of record, otherwise the
minimum. 2020 version: at least 1 year of record, a flat 50 %; expiry of a fixed-term contract
also qualifies with 35 of the last 36 months of record (minimum amount, paid from 3 months
after registration). Both: +5 % per dependent child, at most +20 %; at least the minimum
wage, at most the previous year's national average monthly wage.
"""

from __future__ import annotations

import polars as pl

from meis.rules import money
from meis.rules.engine import Fact, Params, Scheme

RATE_DENOMINATOR = 10_000
GROUNDS = ("liquidation", "staff_reduction", "fixed_term_expiry", "other")

scheme = Scheme(
    name="unemployment_insurance",
    title="Unemployment-insurance benefit",
    doc=__doc__ or "",
    facts=(
        Fact("dismissal_ground", "choice", "Ground on which the last contract ended", GROUNDS),
        Fact(
            "is_registered_unemployed", "bool", "Registered as unemployed by the employment service"
        ),
        Fact("insurance_record_months", "int", "Total insurance record in whole months"),
        Fact("record_months_last_24", "int", "Months of insurance record in the last 24 months"),
        Fact("record_months_last_36", "int", "Months of insurance record in the last 36 months"),
        Fact("wages_12_months_qepik", "money", "Wages of the last 12 months before dismissal"),
        Fact("dependent_children", "int", "Dependent children (under 18, or students under 23)"),
    ),
    requirements=("is_registered_unemployed", "has_qualifying_dismissal", "has_minimum_record"),
)


@scheme.impossible
def record_last_24_longer_than_24_months(p: Params) -> pl.Expr:
    """More than 24 months of record in the last 24 months."""
    return pl.col("record_months_last_24") > 24


@scheme.impossible
def record_last_36_longer_than_36_months(p: Params) -> pl.Expr:
    """More than 36 months of record in the last 36 months."""
    return pl.col("record_months_last_36") > 36


@scheme.impossible
def record_last_24_above_last_36(p: Params) -> pl.Expr:
    """More record in the last 24 months than in the last 36, which contain them."""
    return pl.col("record_months_last_24") > pl.col("record_months_last_36")


@scheme.impossible
def recent_record_above_total(p: Params) -> pl.Expr:
    """More record in the last 36 months than in the whole insurance record."""
    return pl.col("record_months_last_36") > pl.col("insurance_record_months")


def _basis_points(p: Params, name: str) -> int:
    numerator, denominator = p.ratio(name).as_integer_ratio()
    return numerator * (RATE_DENOMINATOR // denominator)


@scheme.rule
def lost_average_wage_qepik(p: Params) -> pl.Expr:
    """Lost average monthly wage: wages of the last 12 months ÷ 12."""
    months = p.whole("unemployment_insurance.averaging_period_months")
    return money.divide(pl.col("wages_12_months_qepik"), months, rounding=p.rounding)


@scheme.rule
def has_qualifying_dismissal__2018_01(p: Params) -> pl.Expr:
    """Dismissed because of liquidation or staff reduction."""
    return pl.col("dismissal_ground").is_in(["liquidation", "staff_reduction"])


@scheme.rule
def has_qualifying_dismissal__2020_01(p: Params) -> pl.Expr:
    """Liquidation or staff reduction, or a fixed-term contract expired with 35 of 36 months of record."""
    fixed_term = (pl.col("dismissal_ground") == "fixed_term_expiry") & (
        pl.col("record_months_last_36")
        >= p.whole("unemployment_insurance.fixed_term_recent_record_months")
    )
    return pl.col("dismissal_ground").is_in(["liquidation", "staff_reduction"]) | fixed_term


@scheme.rule
def has_minimum_record(p: Params) -> pl.Expr:
    """The total insurance record reaches the minimum (3 years in 2018, 1 year from 2020)."""
    return pl.col("insurance_record_months") >= p.whole(
        "unemployment_insurance.minimum_record_months"
    )


@scheme.rule
def replacement_rate_basis_points__2018_01(p: Params) -> pl.Expr:
    """Share of the lost wage by record (1/10 000); 0 (→ minimum) without 12+ recent months."""
    brackets = p.table("unemployment_insurance.replacement_rate_by_record")
    rate, denominator = money.bracket_rate(pl.col("insurance_record_months"), brackets)
    recent = pl.col("record_months_last_24") > p.whole(
        "unemployment_insurance.recent_record_months"
    )
    scaled = rate * (RATE_DENOMINATOR // denominator)
    return pl.when(recent).then(scaled).otherwise(money.lit(0))


@scheme.rule
def replacement_rate_basis_points__2020_01(p: Params) -> pl.Expr:
    """Flat share of the lost wage (1/10 000); 0 (→ minimum) after a fixed-term contract expiry."""
    rate = money.lit(_basis_points(p, "unemployment_insurance.replacement_rate"))
    return (
        pl.when(pl.col("dismissal_ground") == "fixed_term_expiry")
        .then(money.lit(0))
        .otherwise(rate)
    )


@scheme.rule
def child_supplement_basis_points(p: Params) -> pl.Expr:
    """+5 % of the lost wage per dependent child, at most +20 % (1/10 000)."""
    per_child = _basis_points(p, "unemployment_insurance.child_supplement_rate")
    cap = _basis_points(p, "unemployment_insurance.child_supplement_cap")
    return (pl.col("dependent_children") * per_child).clip(upper_bound=cap)


@scheme.rule
def benefit_before_limits_qepik(p: Params) -> pl.Expr:
    """Lost wage × (replacement rate + child supplement)."""
    rate = pl.col("replacement_rate_basis_points") + pl.col("child_supplement_basis_points")
    return money.divide(
        pl.col("lost_average_wage_qepik") * rate, RATE_DENOMINATOR, rounding=p.rounding
    )


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """Registered unemployed, a qualifying dismissal and the minimum record."""
    return (
        pl.col("is_registered_unemployed")
        & pl.col("has_qualifying_dismissal")
        & pl.col("has_minimum_record")
    )


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """Monthly benefit between the minimum wage and last year's average wage (0 if not entitled)."""
    amount = pl.col("benefit_before_limits_qepik").clip(
        lower_bound=p.money("labour.minimum_wage"),
        upper_bound=p.money("labour.average_monthly_wage_previous_year"),
    )
    return pl.when(pl.col("is_eligible")).then(amount).otherwise(money.lit(0))
