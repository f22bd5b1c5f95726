"""Disability labour pension (əmək qabiliyyətinin itirilməsinə görə əmək pensiyası).

Law "On labour pensions", 2006. The insurance record required depends on the age at which
disability began (60 months up to 30, then 4 more months per full year, capped). The amount is
the person's pension capital (pre-2006 record converted at 306 AZN a year and indexed, plus the
capital on the insurance sub-account) divided by T × (required record ÷ 192; ÷ 200 from 2021),
never below the minimum pension. Worked example: (6 178.89 + 31 800) ÷ 80.64 = 470.97 AZN.
"""

from __future__ import annotations

import polars as pl

from meis.rules import checks, money
from meis.rules.dates import completed_months
from meis.rules.engine import Fact, Params, Scheme

scheme = Scheme(
    name="disability_pension",
    title="Disability labour pension",
    doc=__doc__ or "",
    facts=(
        Fact("birth_on", "date", "Date of birth"),
        Fact("disability_on", "date", "Date disability was established (commission decision)"),
        Fact("insurance_record_months", "int", "Insurance record (staj) in whole months"),
        Fact(
            "pre_2006_capital_qepik",
            "money",
            "Capital for the pre-2006 record, converted and indexed",
        ),
        Fact("pension_capital_qepik", "money", "Pension capital on the insurance sub-account"),
    ),
    requirements=("has_required_record",),
)
scheme.impossible(checks.born_after_evaluation_date)


@scheme.impossible
def disability_before_birth(p: Params) -> pl.Expr:
    """The disability is established before the person was born."""
    return pl.col("disability_on") < pl.col("birth_on")


@scheme.impossible
def disability_after_evaluation_date(p: Params) -> pl.Expr:
    """The disability is established after the evaluation date: the commission's decision must
    already have been taken."""
    return pl.col("disability_on") > pl.lit(p.on)


scheme.impossible(checks.insurance_record_longer_than_life)


@scheme.rule
def age_at_onset_years(p: Params) -> pl.Expr:
    """Completed years of age on the date disability was established."""
    return completed_months(pl.col("birth_on"), pl.col("disability_on")).floordiv(12)


@scheme.rule
def required_record_months(p: Params) -> pl.Expr:
    """Record required: base months up to the base age, plus months per year above, capped."""
    base_age_years = p.whole("labour_pensions.disability_record_base_age") // 12
    extra_years = (pl.col("age_at_onset_years") - base_age_years).clip(lower_bound=0)
    required = p.whole("labour_pensions.disability_record_base_months") + extra_years * p.whole(
        "labour_pensions.disability_record_months_per_year"
    )
    return required.clip(upper_bound=p.whole("labour_pensions.disability_record_cap_months"))


@scheme.rule
def has_required_record(p: Params) -> pl.Expr:
    """True when the insurance record reaches the record required for the age at onset."""
    return pl.col("insurance_record_months") >= pl.col("required_record_months")


@scheme.rule
def total_capital_qepik(p: Params) -> pl.Expr:
    """Pre-2006 capital plus the insurance sub-account capital."""
    return pl.col("pre_2006_capital_qepik") + pl.col("pension_capital_qepik")


@scheme.rule
def insurance_part_qepik(p: Params) -> pl.Expr:
    """Capital ÷ (T × required record ÷ coefficient divisor), computed exactly and rounded once."""
    period = p.whole("labour_pensions.expected_payment_period_months")
    divisor = p.whole("labour_pensions.disability_record_coefficient_divisor_months")
    return money.divide(
        pl.col("total_capital_qepik") * divisor,
        pl.col("required_record_months") * period,
        rounding=p.rounding,
    )


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """Entitled when the record requirement is met."""
    return pl.col("has_required_record")


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """Monthly pension: the insurance part, not below the minimum pension [M]; 0 if not entitled."""
    amount = pl.max_horizontal(
        pl.col("insurance_part_qepik"), p.money("labour_pensions.minimum_pension")
    )
    return pl.when(pl.col("is_eligible")).then(amount).otherwise(money.lit(0))
