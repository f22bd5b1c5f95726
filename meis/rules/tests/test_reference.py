"""docs/rules/ is generated and current, everything is documented, and parameter values are
only ever added (parameters/ledger.lock)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from meis.rules import docs, ledger
from meis.rules.engine import Step
from meis.rules.errors import ParameterError
from meis.rules.schemes import SCHEMES
from meis.rules.store import ParameterStore, default_store

DOCS_DIR = Path(__file__).resolve().parents[3] / "docs" / "rules"


def test_everything_is_documented() -> None:
    assert docs.undocumented() == []


def test_the_committed_reference_is_current() -> None:
    stale = docs.write(DOCS_DIR, check=True)
    assert stale == [], (
        f"docs/rules is stale ({', '.join(stale)}): run `python -m meis.rules docs --output docs/rules`"
    )


def test_a_rule_without_a_docstring_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    scheme = SCHEMES["funeral_benefit"]
    step = scheme.steps[0]
    undocumented = Step(step.name, step.since, lambda p: step.function(p))
    monkeypatch.setattr(scheme, "steps", [undocumented, *scheme.steps[1:]])
    assert docs.undocumented() == [f"rule funeral_benefit.{step.name}"]
    with pytest.raises(Exception, match="undocumented"):
        docs.render()


def test_a_parameter_without_a_description_is_reported() -> None:
    store = default_store()
    first = next(iter(store))
    parameters = {p.name: p for p in store} | {first.name: replace(first, description=" ")}
    assert docs.undocumented(ParameterStore(parameters)) == [f"parameter {first.name}"]


def test_a_stale_page_is_found_and_rewritten(tmp_path: Path) -> None:
    assert set(docs.write(tmp_path)) == set(docs.render())
    (tmp_path / "schemes" / "funeral_benefit.md").write_text("edited", encoding="utf-8")
    (tmp_path / "extra.md").write_text("left over", encoding="utf-8")
    assert docs.write(tmp_path, check=True) == ["schemes/funeral_benefit.md", "extra.md"]
    docs.write(tmp_path)
    assert docs.write(tmp_path, check=True) == []


def test_every_value_is_in_the_ledger_unchanged() -> None:
    recorded, current = ledger.read(), ledger.current_entries()
    assert ledger.violations(recorded, current) == []
    assert ledger.unrecorded(recorded, current) == [], (
        "new parameter values: run `python -m meis.rules ledger --append`"
    )


def _store_with(name: str, index: int, value: object) -> ParameterStore:
    store = default_store()
    parameter = store.parameter(name)
    periods = list(parameter.periods)
    periods[index] = replace(periods[index], raw=value)
    return ParameterStore(
        {p.name: p for p in store} | {name: replace(parameter, periods=tuple(periods))}
    )


def test_an_edited_or_removed_value_fails_and_cannot_be_appended(tmp_path: Path) -> None:
    lock = tmp_path / "ledger.lock"
    ledger.append(lock)
    edited = _store_with("targeted_assistance.need_criterion", 2, "161.00")
    problems = ledger.violations(ledger.read(lock), ledger.current_entries(edited))
    assert problems == [
        "targeted_assistance.need_criterion from 2020-01-01: value edited (append a new value instead)"
    ]
    with pytest.raises(ParameterError, match="value edited"):
        ledger.append(lock, edited)
    parameter = default_store().parameter("targeted_assistance.need_criterion")
    removed = ParameterStore(
        {p.name: p for p in default_store()}
        | {parameter.name: replace(parameter, periods=parameter.periods[:-1])}
    )
    assert ledger.violations(ledger.read(lock), ledger.current_entries(removed)) == [
        "targeted_assistance.need_criterion from 2026-01-01: value removed"
    ]


def test_a_new_value_is_appended_and_nothing_else_changes(tmp_path: Path) -> None:
    lock = tmp_path / "ledger.lock"
    lock.write_text(ledger.LEDGER_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    before = lock.read_text(encoding="utf-8")
    lines = before.splitlines(keepends=True)
    last = lines.pop()  # pretend the newest value was just added to the YAML
    lock.write_text("".join(lines), encoding="utf-8")
    new = ledger.append(lock)
    assert [e.line() for e in new] == [last]
    assert lock.read_text(encoding="utf-8") == before
