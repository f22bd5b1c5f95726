"""One-off funeral benefit (dəfn üçün müavinət) to the person who buried the deceased,
unless another funeral payment covers the death."""

from __future__ import annotations

import polars as pl

from meis.rules.engine import Fact, Params, Scheme
from meis.rules.schemes.social_benefits import paid_if_eligible

scheme = Scheme(
    name="funeral_benefit",
    title="Funeral benefit (one-off)",
    doc=__doc__ or "",
    facts=(Fact("has_other_funeral_payment", "bool", "Another funeral payment covers this death"),),
    requirements=("is_eligible",),
)


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """No other funeral payment."""
    return ~pl.col("has_other_funeral_payment")


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """One-off amount."""
    return paid_if_eligible(p.money("social_benefits.funeral_benefit"))
