"""Old-age labour pension (yaşa görə əmək pensiyası) — Law "On labour pensions", 2006.

A person is entitled from the day they reach the pension age in force on that day (it rises by
six months every 1 July from 2017) if either the insurance part of their pension (pension
capital ÷ expected payment period of 144 months) reaches the minimum pension, or they have at
least 25 years of insurance record — then they get at least the minimum pension.
"""

from __future__ import annotations

import polars as pl

from meis.rules import checks, money
from meis.rules.dates import add_months, month_index, scheduled_age
from meis.rules.engine import Fact, Params, Scheme

scheme = Scheme(
    name="old_age_pension",
    title="Old-age labour pension",
    doc=__doc__ or "",
    facts=(
        Fact("sex", "choice", "Sex as recorded in the population register", ("male", "female")),
        Fact("birth_on", "date", "Date of birth"),
        Fact("insurance_record_months", "int", "Insurance record (staj) in whole months"),
        Fact(
            "pension_capital_qepik",
            "money",
            "Pension capital on the insurance sub-account on the assignment date",
        ),
    ),
    requirements=("has_reached_pension_age", "has_pension_right"),
)
scheme.impossible(checks.born_after_evaluation_date)
scheme.impossible(checks.insurance_record_longer_than_life)


@scheme.rule
def birth_month_index(p: Params) -> pl.Expr:
    """Month of birth counted from year 0 (year × 12 + month − 1), for date arithmetic."""
    return month_index(pl.col("birth_on"))


@scheme.rule
def pension_age_months(p: Params) -> pl.Expr:
    """Pension age (months) in force when the person first reaches it (men's or women's schedule)."""
    return _by_sex(p, index=0)


@scheme.rule
def pension_age_period_start_on(p: Params) -> pl.Expr:
    """Start of the schedule period in which the person reaches pension age."""
    return _by_sex(p, index=1)


@scheme.rule
def pension_age_on(p: Params) -> pl.Expr:
    """Date the person reaches the pension age in force on that date."""
    reach = add_months(
        pl.col("birth_on"),
        pl.col("pension_age_months"),
        start_month_index=pl.col("birth_month_index"),
    )
    return pl.max_horizontal(reach, pl.col("pension_age_period_start_on"))


def _by_sex(p: Params, *, index: int) -> pl.Expr:
    birth = pl.col("birth_month_index")
    men = scheduled_age(birth, p.schedule("labour_pensions.retirement_age_men"))[index]
    women = scheduled_age(birth, p.schedule("labour_pensions.retirement_age_women"))[index]
    return pl.when(pl.col("sex") == "male").then(men).otherwise(women)


@scheme.rule
def has_reached_pension_age(p: Params) -> pl.Expr:
    """True when the pension-age date is on or before the evaluation date."""
    return pl.col("pension_age_on") <= pl.lit(p.on)


@scheme.rule
def insurance_part_qepik(p: Params) -> pl.Expr:
    """Insurance part = pension capital ÷ expected payment period (months), rounded to qəpik."""
    period = p.whole("labour_pensions.expected_payment_period_months")
    return money.divide(pl.col("pension_capital_qepik"), period, rounding=p.rounding)


@scheme.rule
def has_capital_for_minimum_pension(p: Params) -> pl.Expr:
    """True when the insurance part is at least the minimum pension (any record length)."""
    return pl.col("insurance_part_qepik") >= p.money("labour_pensions.minimum_pension")


@scheme.rule
def has_record_for_minimum_pension(p: Params) -> pl.Expr:
    """True when the insurance record reaches 25 years (the minimum pension is then guaranteed)."""
    required = p.whole("labour_pensions.record_for_minimum_pension_months")
    return pl.col("insurance_record_months") >= required


@scheme.rule
def has_pension_right(p: Params) -> pl.Expr:
    """Either enough pension capital or the 25-year record."""
    return pl.col("has_capital_for_minimum_pension") | pl.col("has_record_for_minimum_pension")


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """Entitled on the evaluation date: pension age reached and a pension right."""
    return pl.col("has_reached_pension_age") & pl.col("has_pension_right")


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """Monthly pension: the insurance part, never below the minimum pension; 0 if not entitled."""
    minimum = p.money("labour_pensions.minimum_pension")
    amount = pl.max_horizontal(pl.col("insurance_part_qepik"), minimum)
    return pl.when(pl.col("is_eligible")).then(amount).otherwise(money.lit(0))
