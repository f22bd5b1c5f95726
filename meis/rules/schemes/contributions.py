"""Mandatory state social-insurance and unemployment-insurance contributions on a monthly wage.

Law "On social insurance" (sosial sığorta haqqı): employer 22 %, employee 3 %; for non-oil,
non-state employers from 1 Jan 2019 (7 years): 3 % / 22 % up to 200 AZN, above it employee
6 AZN + 10 % and employer 44 AZN + 15 % of the excess (11 % above 8 000 AZN from 2026).
Law "On unemployment insurance": 0.5 % + 0.5 %. Example: wage 1 500 AZN → 136 / 239 AZN.
"""

from __future__ import annotations

import polars as pl

from meis.rules import money
from meis.rules.engine import Fact, Params, Scheme

scheme = Scheme(
    name="contributions",
    title="Social-insurance contributions on a wage",
    doc=__doc__ or "",
    facts=(
        Fact("gross_wage_qepik", "money", "Gross monthly wage"),
        Fact("is_non_oil_private_sector", "bool", "Employer is in the non-oil, non-state sector"),
    ),
    outcome="is_liable",
)


def _scale(p: Params, side: str) -> pl.Expr:
    wage = pl.col("gross_wage_qepik")
    special = p.table(f"social_insurance.{side}_non_oil_private")
    standard = p.table(f"social_insurance.{side}_standard")
    return (
        pl.when(pl.col("is_non_oil_private_sector"))
        .then(money.apply_scale(wage, special, rounding=p.rounding))
        .otherwise(money.apply_scale(wage, standard, rounding=p.rounding))
    )


@scheme.rule
def employee_social_insurance_qepik(p: Params) -> pl.Expr:
    """Employee's social-insurance contribution (withheld from the wage)."""
    return _scale(p, "employee")


@scheme.rule
def employer_social_insurance_qepik(p: Params) -> pl.Expr:
    """Employer's social-insurance contribution."""
    return _scale(p, "employer")


@scheme.rule
def employee_unemployment_insurance_qepik(p: Params) -> pl.Expr:
    """Employee's unemployment-insurance contribution."""
    rate = p.ratio("social_insurance.unemployment_employee_rate")
    return money.times(pl.col("gross_wage_qepik"), rate, rounding=p.rounding)


@scheme.rule
def employer_unemployment_insurance_qepik(p: Params) -> pl.Expr:
    """Employer's unemployment-insurance contribution."""
    rate = p.ratio("social_insurance.unemployment_employer_rate")
    return money.times(pl.col("gross_wage_qepik"), rate, rounding=p.rounding)


@scheme.rule
def is_liable(p: Params) -> pl.Expr:
    """Contributions are due on every paid wage."""
    return pl.col("gross_wage_qepik") > 0


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """Total due on the wage: both contributions of both sides."""
    return pl.sum_horizontal(
        "employee_social_insurance_qepik",
        "employer_social_insurance_qepik",
        "employee_unemployment_insurance_qepik",
        "employer_unemployment_insurance_qepik",
    )
