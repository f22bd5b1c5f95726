"""Impossible-facts checks: how they are declared and how they behave in one case and in batch."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meis.rules.checks import _months_lived
from meis.rules.dates import completed_months
from meis.rules.engine import Fact, Params, Scheme, compile_scheme, evaluate_batch
from meis.rules.errors import SchemeError
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store

DAYS = st.integers(0, 60_000).map(lambda n: date(1900, 1, 1) + timedelta(days=n))


@settings(max_examples=200, deadline=None)
@given(birth=DAYS, on=DAYS)
def test_months_lived_counts_like_completed_months(birth: date, on: date) -> None:
    frame = pl.DataFrame({"birth_on": [birth]})
    out = frame.select(
        lived=_months_lived(pl.col("birth_on"), on),
        completed=completed_months(pl.col("birth_on"), pl.lit(on)),
    )
    assert out["lived"][0] == out["completed"][0]


def test_a_batch_marks_the_rows_with_impossible_facts() -> None:
    facts = pl.DataFrame(
        {
            "birth_on": [date(1978, 1, 10), date(2015, 3, 1)],
            "disability_on": [date(2020, 5, 20), date(2010, 1, 15)],
            "insurance_record_months": [150, 0],
            "pre_2006_capital_qepik": [617889, 0],
            "pension_capital_qepik": [3180000, 0],
        }
    )
    result = evaluate_batch(get_scheme("disability_pension"), facts, on=date(2021, 6, 1))
    assert result["disability_before_birth"].to_list() == [False, True]
    assert result["born_after_evaluation_date"].to_list() == [False, False]


def _scheme() -> Scheme:
    scheme = Scheme("test", "Test", "A test scheme.", facts=(Fact("count", "int", "A count"),))

    @scheme.rule
    def is_eligible(p: Params) -> pl.Expr:
        """Always."""
        return pl.lit(True)

    @scheme.rule
    def amount_qepik(p: Params) -> pl.Expr:
        """Nothing."""
        return pl.lit(0)

    return scheme


def test_a_check_that_reads_a_step_is_refused() -> None:
    scheme = _scheme()

    @scheme.impossible
    def reads_a_step(p: Params) -> pl.Expr:
        """Reads a step."""
        return pl.col("amount_qepik") > pl.col("count")

    with pytest.raises(SchemeError, match="a check reads facts only"):
        compile_scheme(scheme, date(2020, 1, 1), default_store())


def test_a_check_named_like_a_step_is_refused() -> None:
    scheme = _scheme()

    def is_eligible(p: Params) -> pl.Expr:
        """Named like a step."""
        return pl.col("count") < 0

    scheme.impossible(is_eligible)
    with pytest.raises(SchemeError, match="reuses a step, fact or check name"):
        compile_scheme(scheme, date(2020, 1, 1), default_store())
