"""One-off benefit at the birth of a child (uşağın doğulmasına görə birdəfəlik müavinət),
per child born."""

from __future__ import annotations

import polars as pl

from meis.rules.engine import Fact, Params, Scheme
from meis.rules.schemes.social_benefits import paid_if_eligible

scheme = Scheme(
    name="childbirth_benefit",
    title="Childbirth benefit (one-off)",
    doc=__doc__ or "",
    facts=(Fact("children_born", "int", "Children born in this birth"),),
    requirements=("is_eligible",),
)


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """At least one child was born."""
    return pl.col("children_born") > 0


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """One-off amount per child × children born."""
    return paid_if_eligible(pl.col("children_born") * p.money("social_benefits.childbirth_benefit"))
