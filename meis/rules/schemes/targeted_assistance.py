"""Targeted state social assistance (ünvanlı dövlət sosial yardımı, ÜDSY).

Law "On targeted state social assistance" (21 Oct 2005) and its Rules (Cabinet decision No. 37
of 5 Feb 2016). A family whose average monthly income over the 12 months before the application
is below the sum of the need criteria of its members receives the difference, unless one of the
seven refusal grounds applies. Evaluated per family (household).
"""

from __future__ import annotations

import polars as pl

from meis.rules import money
from meis.rules.engine import Fact, Params, Scheme

scheme = Scheme(
    name="targeted_assistance",
    title="Targeted state social assistance (ÜDSY)",
    doc=__doc__ or "",
    entity="household",
    facts=(
        Fact("members", "int", "Family members counted for assistance"),
        Fact(
            "income_12_months_qepik",
            "money",
            "Total family income in the 12 months before applying",
        ),
        Fact(
            "declaration_matches_checks", "bool", "The application-declaration matches the checks"
        ),
        Fact(
            "purchases_sales_12_months_qepik", "money", "Purchases and sales in the last 12 months"
        ),
        Fact(
            "has_vehicle",
            "bool",
            "The family owns or uses a vehicle (rehabilitation vehicles excluded)",
        ),
        Fact(
            "refused_suitable_jobs",
            "int",
            "Suitable jobs refused by an able-bodied non-working member",
        ),
        Fact(
            "utility_spending_12_months_qepik",
            "money",
            "Utility and communication spending of the family in the last 12 months",
        ),
        Fact(
            "same_purpose_real_estate_units",
            "int",
            "Most real-estate units of one purpose held at different addresses",
        ),
    ),
    refusals=(
        "is_refused_for_data_mismatch",
        "is_refused_for_income",
        "is_refused_for_purchases",
        "is_refused_for_vehicle",
        "is_refused_for_refused_jobs",
        "is_refused_for_utility_spending",
        "is_refused_for_real_estate",
    ),
)


@scheme.impossible
def family_without_members(p: Params) -> pl.Expr:
    """A family of no members: at least the applicant is one."""
    return pl.col("members") < 1


@scheme.rule
def need_total_qepik(p: Params) -> pl.Expr:
    """Sum of need criteria: members × need criterion in force."""
    return pl.col("members") * p.money("targeted_assistance.need_criterion")


@scheme.rule
def average_monthly_income_qepik(p: Params) -> pl.Expr:
    """Average monthly family income over the 12 months before applying."""
    months = p.whole("targeted_assistance.averaging_period_months")
    return money.divide(pl.col("income_12_months_qepik"), months, rounding=p.rounding)


@scheme.rule
def is_refused_for_data_mismatch(p: Params) -> pl.Expr:
    """Refusal (1): the application-declaration does not match the checks."""
    return ~pl.col("declaration_matches_checks")


@scheme.rule
def is_refused_for_income(p: Params) -> pl.Expr:
    """Refusal (2): average monthly income is at or above the sum of need criteria."""
    return pl.col("average_monthly_income_qepik") >= pl.col("need_total_qepik")


@scheme.rule
def is_refused_for_purchases(p: Params) -> pl.Expr:
    """Refusal (3): purchases and sales in the last 12 months exceed 12 living minima."""
    limit = p.whole("targeted_assistance.purchases_limit_living_minima")
    return (
        pl.col("purchases_sales_12_months_qepik")
        > p.money("targeted_assistance.living_minimum") * limit
    )


@scheme.rule
def is_refused_for_vehicle(p: Params) -> pl.Expr:
    """Refusal (4): the family owns or uses a vehicle."""
    return pl.col("has_vehicle")


@scheme.rule
def is_refused_for_refused_jobs(p: Params) -> pl.Expr:
    """Refusal (5): an able-bodied member refused two suitable jobs."""
    return pl.col("refused_suitable_jobs") >= p.whole(
        "targeted_assistance.refused_suitable_jobs_limit"
    )


@scheme.rule
def is_refused_for_utility_spending(p: Params) -> pl.Expr:
    """Refusal (6): monthly per-capita utility spending is at least 15 % of the living minimum.

    Compared exactly: spending_12m × den ≥ num × living minimum × 12 × members.
    """
    share = p.ratio("targeted_assistance.utility_spending_share_of_living_minimum")
    num, den = share.as_integer_ratio()
    months = p.whole("targeted_assistance.averaging_period_months")
    minimum = p.money("targeted_assistance.living_minimum")
    return pl.col("utility_spending_12_months_qepik") * den >= minimum * (num * months) * pl.col(
        "members"
    )


@scheme.rule
def is_refused_for_real_estate(p: Params) -> pl.Expr:
    """Refusal (7): two or more real-estate units of the same purpose at different addresses."""
    return pl.col("same_purpose_real_estate_units") >= p.whole(
        "targeted_assistance.same_purpose_real_estate_limit"
    )


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """Assistance is assigned when no refusal ground applies."""
    refused = pl.any_horizontal([pl.col(name) for name in scheme.refusals])
    return ~refused


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """Monthly assistance = sum of need criteria − average monthly income (0 when refused)."""
    difference = pl.col("need_total_qepik") - pl.col("average_monthly_income_qepik")
    return pl.when(pl.col("is_eligible")).then(difference).otherwise(money.lit(0))
