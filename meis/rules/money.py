"""Exact money as Polars expressions over integer qəpik (1 AZN = 100 qəpik).

Every division and every multiplication by a rate goes through ``divide``, which rounds with
the one rounding mode from the parameter ``money.rounding``. Rates are ``Decimal`` and are turned
into an exact integer fraction, so no float ever enters a decision.
"""

from __future__ import annotations

from decimal import Decimal
from math import lcm

import polars as pl

from meis.rules.store import Brackets, Scale

QEPIK = pl.Int64


def lit(value: int) -> pl.Expr:
    """An integer literal of the money/count dtype (Int64)."""
    return pl.lit(value, dtype=QEPIK)


def divide(numerator: pl.Expr, denominator: pl.Expr | int, *, rounding: str) -> pl.Expr:
    """numerator ÷ denominator rounded to a whole number; denominator must be positive."""
    den = lit(denominator) if isinstance(denominator, int) else denominator
    if rounding == "floor":
        return numerator.floordiv(den)
    if rounding == "half_up":
        return (numerator * 2 + den).floordiv(den * 2)
    raise ValueError(f"unknown rounding mode {rounding!r}")


def times(amount: pl.Expr, rate: Decimal, *, rounding: str) -> pl.Expr:
    """amount × rate (an exact decimal), rounded to whole qəpik."""
    numerator, denominator = rate.as_integer_ratio()
    return divide(amount * numerator, denominator, rounding=rounding)


def apply_scale(base: pl.Expr, scale: Scale, *, rounding: str) -> pl.Expr:
    """Marginal scale: Σ rate_i × (part of base between threshold_i and threshold_i+1).

    Each band is computed in exact fractions over a common denominator and rounded once.
    """
    common = lcm(*(rate.as_integer_ratio()[1] for _, rate in scale))
    total = lit(0)
    for index, (threshold, rate) in enumerate(scale):
        upper = scale[index + 1][0] if index + 1 < len(scale) else None
        band = (base - threshold).clip(lower_bound=0)
        if upper is not None:
            band = band.clip(upper_bound=upper - threshold)
        numerator, denominator = rate.as_integer_ratio()
        total = total + band * (numerator * (common // denominator))
    return divide(total, common, rounding=rounding)


def bracket_rate(count: pl.Expr, brackets: Brackets) -> tuple[pl.Expr, int]:
    """Step function of a count: returns (rate numerator expr, common denominator).

    Rows below the first bracket get 0.
    """
    common = lcm(*(rate.as_integer_ratio()[1] for _, rate in brackets))
    expr: pl.Expr = lit(0)
    for lower, rate in brackets:
        numerator, denominator = rate.as_integer_ratio()
        expr = (
            pl.when(count >= lower).then(lit(numerator * (common // denominator))).otherwise(expr)
        )
    return expr, common


def format_azn(qepik: int) -> str:
    """12345 → '123.45' (exact, no float)."""
    sign = "-" if qepik < 0 else ""
    whole, cents = divmod(abs(qepik), 100)
    return f"{sign}{whole}.{cents:02d}"
