"""Runs every YAML case in cases/: plain-language name, scheme, date (the evaluation date), facts,
expected result — or, for facts that cannot be true together, the checks that refuse them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from meis.rules.engine import evaluate_case
from meis.rules.errors import ImpossibleFacts
from meis.rules.schemes import get_scheme

CASES_DIR = Path(__file__).parent / "cases"


def _load() -> list[Any]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize("case", _load())
def test_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if "impossible" in expect:
        with pytest.raises(ImpossibleFacts) as refused:
            evaluate_case(get_scheme(case["scheme"]), case["facts"], on=case["date"])
        assert [problem.check for problem in refused.value.problems] == expect["impossible"]
        return
    result = evaluate_case(get_scheme(case["scheme"]), case["facts"], on=case["date"])
    if "outcome" in expect:
        assert result.outcome is expect["outcome"]
    if "amount_qepik" in expect:
        assert result.amount_qepik == expect["amount_qepik"]
    steps = {step["name"]: step["value"] for step in result.trace["steps"]}
    for name, value in expect.get("steps", {}).items():
        assert steps[name] == _plain(value), name
    for key in ("refusals", "unmet_requirements"):
        if key in expect:
            assert result.trace[key] == expect[key]


def test_every_scheme_has_cases() -> None:
    from meis.rules.schemes import SCHEMES

    covered = {case.values[0]["scheme"] for case in _load()}
    assert covered == set(SCHEMES)


def test_every_impossible_combination_has_a_case() -> None:
    from meis.rules.schemes import SCHEMES

    covered = {
        (case.values[0]["scheme"], check)
        for case in _load()
        for check in case.values[0]["expect"].get("impossible", [])
    }
    checks = {(scheme.name, name) for scheme in SCHEMES.values() for name in scheme.check_names}
    assert checks - covered == set()
