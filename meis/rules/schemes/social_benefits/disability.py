"""Disability benefit (əlilliyə görə sosial müavinət) for an adult without a right to a
labour pension, by degree I / II / III (81–100 / 61–80 / 31–60 % from July 2022)."""

from __future__ import annotations

import polars as pl

from meis.rules.engine import Fact, Params, Scheme
from meis.rules.schemes.social_benefits import paid_if_eligible

scheme = Scheme(
    name="disability_benefit",
    title="Disability benefit (adult)",
    doc=__doc__ or "",
    facts=(
        Fact("disability_degree", "choice", "Degree of disability", ("I", "II", "III")),
        Fact(
            "has_labour_pension_right",
            "bool",
            "The person has a right to a disability labour pension",
        ),
    ),
    requirements=("has_no_pension_right",),
)


@scheme.rule
def has_no_pension_right(p: Params) -> pl.Expr:
    """The benefit is for people without a labour-pension right."""
    return ~pl.col("has_labour_pension_right")


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """A degree is established and there is no pension right."""
    return pl.col("has_no_pension_right")


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """Monthly amount for the degree."""
    degree = pl.col("disability_degree")
    amount = (
        pl.when(degree == "I")
        .then(p.money("social_benefits.disability_benefit_degree_1"))
        .when(degree == "II")
        .then(p.money("social_benefits.disability_benefit_degree_2"))
        .otherwise(p.money("social_benefits.disability_benefit_degree_3"))
    )
    return paid_if_eligible(amount)
