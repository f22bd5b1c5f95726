"""No float anywhere in a decision: source code and batch output dtypes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl

from meis.rules.engine import evaluate_batch
from meis.rules.schemes import SCHEMES
from meis.rules.tests.population import random_facts

RULES_DIR = Path(__file__).parents[1]


def test_rules_source_never_uses_float() -> None:
    """`float`, Float32/64 and true division never appear in rules code (dtypes test covers `/`)."""
    offenders = []
    for path in RULES_DIR.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bfloat\b|Float(32|64)|\btruediv\b", _code_only(text)):
            offenders.append(path.name)
    assert offenders == []


def _code_only(text: str) -> str:
    without_docstrings = re.sub(r'"""[\s\S]*?"""', "", text)
    lines = [line.split("#")[0] for line in without_docstrings.splitlines()]
    return "\n".join(line for line in lines if not re.search(r'["\'].*/.*["\']', line))


def test_every_batch_column_is_integer_boolean_date_or_text() -> None:
    allowed = (pl.Int64, pl.Boolean, pl.Date, pl.String, pl.UInt32)
    for scheme in SCHEMES.values():
        result = evaluate_batch(scheme, random_facts(scheme, rows=20, seed=1), on=date(2020, 3, 1))
        bad = {
            name: dtype for name, dtype in result.schema.items() if not isinstance(dtype, allowed)
        }
        assert bad == {}, scheme.name
