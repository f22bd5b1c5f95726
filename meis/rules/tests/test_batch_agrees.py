"""Property: batch evaluation and single-case evaluation agree on random populations, including
on which rows have impossible facts (refused one by one, marked in the batch)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meis.rules.engine import evaluate_batch, evaluate_case
from meis.rules.errors import ImpossibleFacts
from meis.rules.schemes import SCHEMES
from meis.rules.tests.population import random_rows


@settings(max_examples=20, deadline=None)
@given(
    scheme_name=st.sampled_from(sorted(SCHEMES)),
    seed=st.integers(0, 2**32 - 1),
    day=st.integers(0, (date(2026, 12, 31) - date(2019, 1, 1)).days),
)
def test_batch_and_single_case_agree(scheme_name: str, seed: int, day: int) -> None:
    scheme = SCHEMES[scheme_name]
    on = date(2019, 1, 1) + timedelta(days=day)
    rows = random_rows(scheme, rows=12, seed=seed)
    frame = pl.DataFrame(rows, schema={f.name: f.dtype for f in scheme.facts})
    batch = evaluate_batch(scheme, frame, on=on)
    for index, facts in enumerate(rows):
        marked = [name for name in scheme.check_names if batch[name][index]]
        if marked:
            with pytest.raises(ImpossibleFacts) as refused:
                evaluate_case(scheme, facts, on=on)
            assert [problem.check for problem in refused.value.problems] == marked
            continue
        single = evaluate_case(scheme, facts, on=on)
        assert single.outcome == batch[scheme.outcome][index]
        assert single.amount_qepik == batch[scheme.amount][index]
        for step in single.trace["steps"]:
            value = batch[step["name"]][index]
            assert step["value"] == (value.isoformat() if isinstance(value, date) else value)
