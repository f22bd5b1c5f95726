"""Dated legal parameters: loaded from the YAML files in ``parameters/``, validated, looked up by date.

Each file mirrors one law (or one annual law family). A parameter has a description, a unit
and a list of values; each value has a start date, the value, and its legal reference
(act, article, source address) with the docs/domain.md tag S (sourced), M (from memory, a default
to confirm) or D (derived). Values are appended in date order, never edited in place: a
correction is a new value with its own start date and reference.

Validation at load fails loudly (``ParameterError``) on an unknown unit, a missing reference,
values out of order or on the same day (overlap), an explicit end followed by a later start
(gap) and a first value that starts after ``COVERAGE_START`` (the store must answer for any
date from 2019 on) — unless the parameter declares ``introduced: <date>``: it was created by a
later law change and only the rule version in force from that date reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from meis.rules.errors import ParameterError
from meis.rules.yamlfile import yaml_load

PARAMETERS_DIR = Path(__file__).parent / "parameters"
COVERAGE_START = date(2019, 1, 1)
UNITS = frozenset(
    {"AZN", "months", "age", "ratio", "count", "hours", "rounding", "scale", "brackets"}
)
ROUNDING_MODES = frozenset({"half_up", "floor"})
TAGS = frozenset({"S", "M", "D"})
REFERENCE_KEYS = ("act", "article", "url")
_AGE = re.compile(r"^(?P<years>\d+)y(?:(?P<months>\d+)m)?$")

Scale = tuple[tuple[int, Decimal], ...]
"""Marginal scale: (threshold in qəpik, rate applied to the part of the base above it)."""
Brackets = tuple[tuple[int, Decimal], ...]
"""Step function: (from this count, this ratio applies) — the last matching row wins."""
Value = int | Decimal | str | Scale


@dataclass(frozen=True)
class Reference:
    act: str
    article: str
    url: str
    tag: str
    note: str = ""


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None
    value: Value
    raw: Any
    reference: Reference


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    periods: tuple[Period, ...]
    source_file: str

    def period_on(self, on: date) -> Period:
        found: Period | None = None
        for period in self.periods:
            if period.start <= on:
                found = period
        if found is None or (found.end is not None and on > found.end):
            raise ParameterError(f"parameter {self.name} has no value in force on {on.isoformat()}")
        return found


class ParameterStore:
    """All parameters, answering ``value(name, on=date)``."""

    def __init__(self, parameters: Mapping[str, Parameter]) -> None:
        self._parameters = dict(parameters)

    def __contains__(self, name: object) -> bool:
        return name in self._parameters

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._parameters[name] for name in sorted(self._parameters))

    def parameter(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise ParameterError(f"unknown parameter {name!r}") from None

    def period(self, name: str, *, on: date) -> Period:
        return self.parameter(name).period_on(on)

    def value(self, name: str, *, on: date) -> Value:
        return self.period(name, on=on).value


def load_store(directory: Path = PARAMETERS_DIR) -> ParameterStore:
    parameters: dict[str, Parameter] = {}
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ParameterError(f"no parameter files in {directory}")
    for path in files:
        for parameter in _load_file(path):
            parameters[parameter.name] = parameter
    return ParameterStore(parameters)


@cache
def default_store() -> ParameterStore:
    """The project's parameters, loaded and validated once per process."""
    return load_store()


def _load_file(path: Path) -> list[Parameter]:
    try:
        data = yaml_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ParameterError(f"{path.name}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{path.name}: expected a mapping of parameter names")
    return [_parameter(f"{path.stem}.{key}", spec, path.name) for key, spec in data.items()]


def _parameter(name: str, spec: Any, source_file: str) -> Parameter:
    where = f"{source_file}: {name}"
    if not isinstance(spec, dict):
        raise ParameterError(f"{where}: expected a mapping with description, unit, values")
    description = spec.get("description")
    unit = spec.get("unit")
    values = spec.get("values")
    if not isinstance(description, str) or not description.strip():
        raise ParameterError(f"{where}: missing description")
    if unit not in UNITS:
        raise ParameterError(f"{where}: unknown unit {unit!r} (known: {', '.join(sorted(UNITS))})")
    if not isinstance(values, list) or not values:
        raise ParameterError(f"{where}: no values")
    periods = tuple(_period(where, str(unit), entry) for entry in values)
    introduced = spec.get("introduced")
    if introduced is not None and introduced != periods[0].start:
        raise ParameterError(f"{where}: 'introduced' must equal the first value's start date")
    _check_sequence(where, periods, is_new_law=introduced is not None)
    return Parameter(name, description.strip(), str(unit), periods, source_file)


def _period(where: str, unit: str, entry: Any) -> Period:
    if not isinstance(entry, dict):
        raise ParameterError(f"{where}: each value must be a mapping")
    start = entry.get("start")
    if not isinstance(start, date):
        raise ParameterError(f"{where}: value without a start date (YYYY-MM-DD)")
    end = entry.get("end")
    if end is not None and not isinstance(end, date):
        raise ParameterError(f"{where}: end must be a date")
    missing = [key for key in REFERENCE_KEYS if not str(entry.get(key) or "").strip()]
    if missing:
        raise ParameterError(f"{where} from {start}: missing reference {', '.join(missing)}")
    tag = entry.get("tag")
    if tag not in TAGS:
        raise ParameterError(f"{where} from {start}: tag must be one of S, M, D")
    reference = Reference(
        act=str(entry["act"]),
        article=str(entry["article"]),
        url=str(entry["url"]),
        tag=str(tag),
        note=str(entry.get("note") or ""),
    )
    if "value" not in entry:
        raise ParameterError(f"{where} from {start}: missing value")
    value = _convert(f"{where} from {start}", unit, entry["value"])
    return Period(start, end, value, entry["value"], reference)


def _check_sequence(where: str, periods: tuple[Period, ...], *, is_new_law: bool) -> None:
    if periods[0].start > COVERAGE_START and not is_new_law:
        raise ParameterError(
            f"{where}: gap — first value starts {periods[0].start}, after {COVERAGE_START}"
        )
    for before, after in zip(periods, periods[1:], strict=False):
        if after.start <= before.start:
            raise ParameterError(
                f"{where}: overlap — value from {after.start} is not after the value from "
                f"{before.start} (append values in date order)"
            )
        if before.end is not None and after.start > before.end + timedelta(days=1):
            raise ParameterError(f"{where}: gap between {before.end} and {after.start}")
        if before.end is not None and after.start <= before.end:
            raise ParameterError(f"{where}: overlap — {after.start} starts before {before.end}")


def _convert(where: str, unit: str, raw: Any) -> Value:
    try:
        return _CONVERTERS[unit](raw)
    except (ValueError, TypeError, InvalidOperation, KeyError) as error:
        raise ParameterError(f"{where}: bad {unit} value {raw!r} ({error})") from None


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise TypeError("write decimals as quoted strings, e.g. '0.22'")
    return Decimal(str(raw))


def _qepik(raw: Any) -> int:
    amount = _decimal(raw) * 100
    if amount != amount.to_integral_value():
        raise ValueError("AZN amounts have at most two decimals")
    return int(amount)


def _whole(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ValueError("expected a whole non-negative number")
    return int(raw)


def _age(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw * 12
    match = _AGE.match(str(raw))
    if not match:
        raise ValueError("write ages as '64y6m' or whole years")
    return int(match["years"]) * 12 + int(match["months"] or 0)


def _ratio(raw: Any) -> Decimal:
    value = _decimal(raw)
    if not 0 <= value <= 1:
        raise ValueError("a ratio is between 0 and 1")
    return value


def _rounding(raw: Any) -> str:
    if raw not in ROUNDING_MODES:
        raise ValueError(f"known modes: {', '.join(sorted(ROUNDING_MODES))}")
    return str(raw)


def _scale(raw: Any) -> Scale:
    rows = tuple((_qepik(row["above"]), _ratio(row["rate"])) for row in raw)
    if (
        not rows
        or rows[0][0] != 0
        or any(a[0] >= b[0] for a, b in zip(rows, rows[1:], strict=False))
    ):
        raise ValueError("scale thresholds start at 0 and increase")
    return rows


def _brackets(raw: Any) -> Brackets:
    rows = tuple((_whole(row["from"]), _ratio(row["rate"])) for row in raw)
    if not rows or any(a[0] >= b[0] for a, b in zip(rows, rows[1:], strict=False)):
        raise ValueError("bracket lower bounds increase")
    return rows


_CONVERTERS: dict[str, Callable[[Any], Value]] = {
    "AZN": _qepik,
    "months": _whole,
    "count": _whole,
    "hours": _whole,
    "age": _age,
    "ratio": _ratio,
    "rounding": _rounding,
    "scale": _scale,
    "brackets": _brackets,
}
