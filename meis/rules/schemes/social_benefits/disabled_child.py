"""Benefit for a child under 18 with a disability (sağlamlıq imkanları məhdud uşaq).
A flat amount until 2024; from 2025 by band of loss of functions 31–60 / 61–80 / 81–100 %."""

from __future__ import annotations

import polars as pl

from meis.rules import checks, money
from meis.rules.dates import add_months
from meis.rules.engine import Fact, Params, Scheme
from meis.rules.schemes.social_benefits import paid_if_eligible

_BIRTH = Fact("birth_on", "date", "Date of birth")

scheme = Scheme(
    name="disabled_child_benefit",
    title="Benefit for a disabled child",
    doc=__doc__ or "",
    facts=(
        _BIRTH,
        Fact(
            "disability_percent", "int", "Loss of body functions in percent (from the commission)"
        ),
    ),
    requirements=("is_child", "has_disability"),
)
scheme.impossible(checks.born_after_evaluation_date)


@scheme.impossible
def disability_percent_above_100(p: Params) -> pl.Expr:
    """The loss of body functions is more than 100 %."""
    return pl.col("disability_percent") > 100


@scheme.rule
def is_child(p: Params) -> pl.Expr:
    """Under 18 on the evaluation date."""
    limit = add_months(pl.col("birth_on"), money.lit(p.whole("social_benefits.child_age_limit")))
    return pl.lit(p.on) < limit


@scheme.rule
def has_disability(p: Params) -> pl.Expr:
    """A disability of at least 31 % is established."""
    return pl.col("disability_percent") >= 31


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """A child with an established disability."""
    return pl.col("is_child") & pl.col("has_disability")


@scheme.rule
def amount_qepik__2019_01(p: Params) -> pl.Expr:
    """Flat monthly amount."""
    return paid_if_eligible(p.money("social_benefits.disabled_child_benefit"))


@scheme.rule
def amount_qepik__2025_01(p: Params) -> pl.Expr:
    """Monthly amount by band of loss of functions."""
    percent = pl.col("disability_percent")
    amount = (
        pl.when(percent >= 81)
        .then(p.money("social_benefits.disabled_child_benefit_81_100"))
        .when(percent >= 61)
        .then(p.money("social_benefits.disabled_child_benefit_61_80"))
        .otherwise(p.money("social_benefits.disabled_child_benefit_31_60"))
    )
    return paid_if_eligible(amount)
