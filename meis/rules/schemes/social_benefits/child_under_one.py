"""Monthly benefit for each child under 1 in a family receiving targeted social
assistance (ÜDSY), assigned proactively."""

from __future__ import annotations

import polars as pl

from meis.rules.engine import Fact, Params, Scheme
from meis.rules.schemes.social_benefits import paid_if_eligible

scheme = Scheme(
    name="child_under_one_benefit",
    title="Benefit for a child under 1 in an assisted family",
    doc=__doc__ or "",
    facts=(
        Fact("is_receiving_targeted_assistance", "bool", "The family receives targeted assistance"),
        Fact("children_under_one", "int", "Children in the family younger than 1 year"),
    ),
    requirements=("is_receiving_targeted_assistance", "has_child_under_one"),
)


@scheme.rule
def has_child_under_one(p: Params) -> pl.Expr:
    """At least one child under 1."""
    return pl.col("children_under_one") > 0


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """An assisted family with a child under 1."""
    return pl.col("is_receiving_targeted_assistance") & pl.col("has_child_under_one")


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """Monthly amount per child under 1."""
    per_child = p.money("social_benefits.child_under_one_in_assisted_family")
    return paid_if_eligible(pl.col("children_under_one") * per_child)
