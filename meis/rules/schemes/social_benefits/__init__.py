"""Social benefits (sosial müavinətlər) — Law "On social benefits".

Each kind is its own small scheme: age benefit, disability benefit (adult), disabled child,
loss of breadwinner, childbirth (one-off), funeral (one-off), and the monthly benefit for a child
under 1 in a family receiving targeted assistance.
"""

from __future__ import annotations

import polars as pl

from meis.rules import money


def paid_if_eligible(amount: pl.Expr) -> pl.Expr:
    """The amount when the ``is_eligible`` step holds, else 0."""
    return pl.when(pl.col("is_eligible")).then(amount).otherwise(money.lit(0))
