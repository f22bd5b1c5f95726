"""Stipend during vocational training (peşə hazırlığı dövründə təqaüd) of an unemployed person
the employment service sends to a course (Law "On employment" No. 1140-VQ, docs/domain.md §8).

Paid monthly from the course's start to its end while the person stays registered as unemployed
and enrolled. The amount is a share of the minimum monthly wage in force (PROJECT DECISION: the
whole minimum wage [M]; docs/domain.md gives no figure).
"""

from __future__ import annotations

import polars as pl

from meis.rules import money
from meis.rules.engine import Fact, Params, Scheme

scheme = Scheme(
    name="training_stipend",
    title="Stipend during vocational training",
    doc=__doc__ or "",
    facts=(
        Fact(
            "is_registered_unemployed",
            "bool",
            "Registered with the employment service as unemployed",
        ),
        Fact("is_enrolled", "bool", "Enrolled in a course the employment service organises"),
    ),
    requirements=("is_registered_unemployed", "is_enrolled"),
)


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """Registered as unemployed and enrolled in a course."""
    return pl.col("is_registered_unemployed") & pl.col("is_enrolled")


@scheme.rule
def stipend_qepik(p: Params) -> pl.Expr:
    """Monthly stipend: the minimum monthly wage × the stipend's share of it."""
    share = p.ratio("employment.training_stipend_share_of_minimum_wage")
    return money.times(p.money("labour.minimum_wage"), share, rounding=p.rounding)


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """The monthly stipend when eligible, else 0."""
    return pl.when(pl.col("is_eligible")).then(pl.col("stipend_qepik")).otherwise(money.lit(0))
