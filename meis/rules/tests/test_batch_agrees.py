"""Property: batch evaluation and single-case evaluation agree on random populations."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from meis.rules.engine import evaluate_batch, evaluate_case
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
        single = evaluate_case(scheme, facts, on=on)
        assert single.outcome == batch[scheme.outcome][index]
        assert single.amount_qepik == batch[scheme.amount][index]
        for step in single.trace["steps"]:
            value = batch[step["name"]][index]
            assert step["value"] == (value.isoformat() if isinstance(value, date) else value)


def test_add_months_matches_the_calendar_exactly() -> None:
    import calendar
    import random
    from datetime import date

    import polars as pl

    from meis.rules.dates import add_months

    rng = random.Random(5)
    low, high = date(1900, 1, 1).toordinal(), date(2100, 12, 31).toordinal()
    starts = [date.fromordinal(rng.randint(low, high)) for _ in range(20_000)]
    starts += [date(1960, 2, 29), date(1961, 1, 31), date(2000, 2, 29), date(1900, 3, 31)]
    months = [rng.randint(0, 1200) for _ in starts]
    frame = pl.DataFrame({"start": starts, "months": months})
    result = frame.select(add_months(pl.col("start"), pl.col("months")).alias("end"))[
        "end"
    ].to_list()

    def expected(start: date, add: int) -> date:
        year, month = divmod(start.year * 12 + start.month - 1 + add, 12)
        return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))

    assert result == [expected(s, m) for s, m in zip(starts, months, strict=True)]
