"""Random fact tables for a scheme (tests only): the property test and the dtype test use them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl

from meis.rules.engine import Scheme

_LIMITS = {"int": 600, "money": 10_000_000}


def random_rows(scheme: Scheme, *, rows: int, seed: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    columns: dict[str, list[Any]] = {}
    for fact in scheme.facts:
        if fact.kind in _LIMITS:
            upper = (
                12
                if fact.name in {"members", "children_born", "dependent_children"}
                else _LIMITS[fact.kind]
            )
            columns[fact.name] = [int(v) for v in rng.integers(0 if upper > 12 else 1, upper, rows)]
        elif fact.kind == "bool":
            columns[fact.name] = [bool(v) for v in rng.random(rows) < 0.5]
        elif fact.kind == "date":
            columns[fact.name] = [
                date(1940, 1, 1) + timedelta(days=int(v)) for v in rng.integers(0, 31_000, rows)
            ]
        else:
            columns[fact.name] = [
                fact.choices[int(v)] for v in rng.integers(0, len(fact.choices), rows)
            ]
    return [{name: values[i] for name, values in columns.items()} for i in range(rows)]


def random_facts(scheme: Scheme, *, rows: int, seed: int) -> pl.DataFrame:
    records = random_rows(scheme, rows=rows, seed=seed)
    return pl.DataFrame(records, schema={f.name: f.dtype for f in scheme.facts})
