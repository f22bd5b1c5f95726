"""Loss-of-breadwinner benefit (ailə başçısını itirməyə görə sosial müavinət), per eligible
family member (children under 18, students under 23, a carer of a child under 8), when the
family has no right to a survivor labour pension."""

from __future__ import annotations

import polars as pl

from meis.rules.engine import Fact, Params, Scheme
from meis.rules.schemes.social_benefits import paid_if_eligible

scheme = Scheme(
    name="survivor_benefit",
    title="Loss-of-breadwinner benefit",
    doc=__doc__ or "",
    facts=(
        Fact(
            "eligible_members",
            "int",
            "Children under 18, students under 23 and carers of a child under 8",
        ),
        Fact(
            "has_survivor_pension_right",
            "bool",
            "The family has a right to a survivor labour pension",
        ),
    ),
    requirements=("has_eligible_members", "has_no_pension_right"),
)


@scheme.rule
def has_eligible_members(p: Params) -> pl.Expr:
    """At least one eligible family member."""
    return pl.col("eligible_members") > 0


@scheme.rule
def has_no_pension_right(p: Params) -> pl.Expr:
    """No survivor labour-pension right."""
    return ~pl.col("has_survivor_pension_right")


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """Eligible members and no pension right."""
    return pl.col("has_eligible_members") & pl.col("has_no_pension_right")


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """Amount per member × eligible members."""
    return paid_if_eligible(
        pl.col("eligible_members") * p.money("social_benefits.survivor_benefit_per_member")
    )
