"""One definition, two evaluations.

A scheme is a list of named *steps*; each step is a small function that receives the
parameters in force on the evaluation date and returns a Polars expression over named fact
columns and earlier steps. The same expressions are evaluated

* over a one-row frame for a single case (``evaluate_case``), where every fact read, every
  parameter used (value, start date, reference) and every step's value becomes the trace, and
* lazily over a table of millions of rows (``evaluate_batch``).

A scheme also names the combinations of facts that cannot be true (``@scheme.impossible``: a
disability established before birth, a birth after the evaluation date). They are expressions
too: a single case with such facts is refused with ``ImpossibleFacts`` before anything is
decided, and a batch marks each such row in the check's column.

When the law changed, a step has several versions named ``<step>__YYYY_MM`` (the OpenFisca
``formula_YYYY_MM`` idea); the version in force on the evaluation date is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

import polars as pl

from meis.rules import money
from meis.rules.errors import FactError, Impossibility, ImpossibleFacts, SchemeError
from meis.rules.explain import impossible
from meis.rules.store import Parameter, ParameterStore, Period, Value, default_store

FactKind = Literal["int", "money", "bool", "date", "choice"]
_DTYPES: dict[str, pl.DataType] = {
    "int": pl.Int64(),
    "money": pl.Int64(),
    "bool": pl.Boolean(),
    "date": pl.Date(),
    "choice": pl.String(),
}
_UNITS = {"int": "count", "money": "qəpik", "bool": "true/false", "date": "YYYY-MM-DD"}
# One row: Polars' fixed cost per call dominates, not the arithmetic. So a case is one lazy
# plan, collected once by the in-memory engine (the default streaming engine's set-up costs
# more than a one-row query), without the optimiser (planning costs more than it saves), each
# layer's expressions in sequence (no thread-pool hand-offs). from_dicts builds the one-row
# frame at a tenth of the DataFrame constructor's cost. bench/rules.py prints the latency.
_ONE_ROW = pl.QueryOptFlags.none()
_VERSION = re.compile(r"^(?P<name>[a-z0-9_]+?)__(?P<year>\d{4})_(?P<month>\d{2})$")


@dataclass(frozen=True)
class Fact:
    """An input the rule reads: name, kind, what it means; money facts are integer qəpik."""

    name: str
    kind: FactKind
    description: str
    choices: tuple[str, ...] = ()

    @property
    def dtype(self) -> pl.DataType:
        return _DTYPES[self.kind]

    @property
    def unit(self) -> str:
        return " | ".join(self.choices) if self.kind == "choice" else _UNITS[self.kind]


@dataclass(frozen=True)
class Step:
    name: str
    since: date | None
    function: Callable[[Params], pl.Expr]

    @property
    def doc(self) -> str:
        return (self.function.__doc__ or "").strip()

    @property
    def version(self) -> str | None:
        return None if self.since is None else self.since.strftime("%Y-%m")


@dataclass(frozen=True)
class Check:
    """Facts that cannot all be true: the expression is true for a row whose facts are
    impossible together. It reads facts only (and the evaluation date), never a step."""

    name: str
    function: Callable[[Params], pl.Expr]

    @property
    def doc(self) -> str:
        return (self.function.__doc__ or "").strip()


@dataclass(frozen=True)
class ParameterUse:
    """A parameter as the trace records it."""

    name: str
    unit: str
    value: Any
    start: date
    reference: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "value": _json(self.value),
            "start": self.start.isoformat(),
            **self.reference,
        }


class Params:
    """The parameters in force on one date; records every one a step reads."""

    def __init__(self, store: ParameterStore, on: date) -> None:
        self.store = store
        self.on = on
        self.used: dict[str, ParameterUse] = {}

    def get(self, name: str) -> Value:
        parameter = self.store.parameter(name)
        period = parameter.period_on(self.on)
        self._record(parameter, period, period.value)
        return period.value

    def whole(self, name: str) -> int:
        value = self.get(name)
        if not isinstance(value, int):
            raise SchemeError(f"parameter {name} is not a whole number")
        return value

    def money(self, name: str) -> pl.Expr:
        return money.lit(self.whole(name))

    def ratio(self, name: str) -> Decimal:
        value = self.get(name)
        if not isinstance(value, Decimal):
            raise SchemeError(f"parameter {name} is not a ratio")
        return value

    def table(self, name: str) -> tuple[tuple[int, Decimal], ...]:
        """A ``scale`` or ``brackets`` parameter: rows of (threshold, rate)."""
        value = self.get(name)
        if not isinstance(value, tuple):
            raise SchemeError(f"parameter {name} is not a scale or brackets")
        return value

    def schedule(self, name: str) -> tuple[Period, ...]:
        """Every value of the parameter (the enacted schedule, including future steps)."""
        parameter = self.store.parameter(name)
        periods = parameter.periods
        use = [{"start": p.start.isoformat(), "value": _json(p.value)} for p in periods]
        self._record(parameter, periods[0], use)
        return periods

    @property
    def rounding(self) -> str:
        return str(self.get("money.rounding"))

    def _record(self, parameter: Parameter, period: Period, value: Any) -> None:
        ref = period.reference
        self.used[parameter.name] = ParameterUse(
            name=parameter.name,
            unit=parameter.unit,
            value=value,
            start=period.start,
            reference={"act": ref.act, "article": ref.article, "url": ref.url, "tag": ref.tag},
        )


@dataclass(eq=False)
class Scheme:
    """A benefit, pension or obligation: its facts, its steps, and which steps decide."""

    name: str
    title: str
    doc: str
    facts: tuple[Fact, ...]
    outcome: str = "is_eligible"
    amount: str = "amount_qepik"
    requirements: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ()
    entity: str = "person"
    steps: list[Step] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def rule(self, function: Callable[[Params], pl.Expr]) -> Callable[[Params], pl.Expr]:
        """Register a step; ``name__YYYY_MM`` marks a version in force from that month."""
        match = _VERSION.match(function.__name__)
        if match:
            since = date(int(match["year"]), int(match["month"]), 1)
            self.steps.append(Step(match["name"], since, function))
        else:
            self.steps.append(Step(function.__name__, None, function))
        return function

    def impossible(self, function: Callable[[Params], pl.Expr]) -> Callable[[Params], pl.Expr]:
        """Register a check: an expression true when the facts cannot all be true."""
        self.checks.append(Check(function.__name__, function))
        return function

    @property
    def check_names(self) -> tuple[str, ...]:
        return tuple(check.name for check in self.checks)

    @property
    def fact_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.facts)

    def step_names(self) -> list[str]:
        return list(dict.fromkeys(step.name for step in self.steps))

    def steps_on(self, on: date) -> list[Step]:
        chosen: list[Step] = []
        for name in self.step_names():
            versions = [s for s in self.steps if s.name == name]
            in_force = [s for s in versions if s.since is None or s.since <= on]
            if not in_force:
                first = min(s.since for s in versions if s.since is not None)
                raise SchemeError(
                    f"{self.name}: no version of {name} in force on {on} (first from {first})"
                )
            chosen.append(max(in_force, key=lambda s: s.since or date.min))
        return chosen


@dataclass(frozen=True)
class Compiled:
    """A scheme's expressions for one evaluation date, grouped in dependency layers."""

    scheme: Scheme
    on: date
    steps: tuple[Step, ...]
    layers: tuple[tuple[pl.Expr, ...], ...]
    step_parameters: dict[str, tuple[str, ...]]
    parameters: dict[str, ParameterUse]
    facts_read: tuple[Fact, ...]
    trace_parameters: tuple[dict[str, Any], ...]  # ``parameters`` as the trace shows them
    schema: dict[str, pl.DataType]  # of the facts read, for the one-row frame
    checks: tuple[pl.Expr, ...] = ()  # one boolean column per check, named after it
    check_facts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facts each reads

    @property
    def checked_layers(self) -> tuple[tuple[pl.Expr, ...], ...]:
        """The layers with the checks in the first (they read facts only): one pass fewer."""
        first, *rest = self.layers
        return ((*self.checks, *first), *rest)


@lru_cache(maxsize=512)
def compile_scheme(scheme: Scheme, on: date, store: ParameterStore) -> Compiled:
    params = Params(store, on)
    steps = scheme.steps_on(on)
    names = {s.name for s in steps}
    depth: dict[str, int] = {}
    exprs: dict[str, pl.Expr] = {}
    step_parameters: dict[str, tuple[str, ...]] = {}
    roots: set[str] = set()
    for step in steps:
        before = set(params.used)
        expr = step.function(params).alias(step.name)
        step_parameters[step.name] = tuple(n for n in params.used if n not in before)
        used_columns = set(expr.meta.root_names())
        if step.name in scheme.fact_names:
            raise SchemeError(f"{scheme.name}.{step.name} has the name of a fact")
        unknown = used_columns - names - scheme.fact_names
        if unknown:
            raise SchemeError(f"{scheme.name}.{step.name} reads undeclared {sorted(unknown)}")
        if any(c in names and c not in depth for c in used_columns):
            raise SchemeError(f"{scheme.name}.{step.name} reads a later step")
        depth[step.name] = 1 + max((depth[c] for c in used_columns if c in depth), default=-1)
        exprs[step.name] = expr
        roots |= used_columns
    layers = tuple(
        tuple(exprs[n] for n in exprs if depth[n] == level)
        for level in range(max(depth.values()) + 1)
    )
    checks, check_facts = _compile_checks(scheme, on, store, taken=names)
    roots |= {name for facts in check_facts.values() for name in facts}
    facts_read = tuple(f for f in scheme.facts if f.name in roots)
    return Compiled(
        scheme=scheme,
        on=on,
        steps=tuple(steps),
        layers=layers,
        step_parameters=step_parameters,
        parameters=params.used,
        facts_read=facts_read,
        trace_parameters=tuple(use.as_json() for use in params.used.values()),
        schema={f.name: f.dtype for f in facts_read},
        checks=checks,
        check_facts=check_facts,
    )


def _compile_checks(
    scheme: Scheme, on: date, store: ParameterStore, *, taken: set[str]
) -> tuple[tuple[pl.Expr, ...], dict[str, tuple[str, ...]]]:
    """The checks' expressions and the facts each reads (in the scheme's order of facts). Their
    own Params: a parameter a check reads is not part of the decision's trace."""
    params = Params(store, on)
    exprs: list[pl.Expr] = []
    check_facts: dict[str, tuple[str, ...]] = {}
    for check in scheme.checks:
        if check.name in taken or check.name in scheme.fact_names or check.name in check_facts:
            raise SchemeError(
                f"{scheme.name}: check {check.name} reuses a step, fact or check name"
            )
        expr = check.function(params).alias(check.name)
        read = set(expr.meta.root_names())
        if read - scheme.fact_names:
            raise SchemeError(
                f"{scheme.name}: check {check.name} reads {sorted(read - scheme.fact_names)},"
                " but a check reads facts only"
            )
        exprs.append(expr)
        check_facts[check.name] = tuple(f.name for f in scheme.facts if f.name in read)
    return tuple(exprs), check_facts


def evaluate_batch(
    scheme: Scheme,
    facts: pl.DataFrame | pl.LazyFrame,
    *,
    on: date,
    store: ParameterStore | None = None,
    keep: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Evaluate over a table of facts (one row per person or household), vectorised.

    Every check of the scheme is a boolean column (``scheme.check_names``): true in a row whose
    facts are impossible, where ``evaluate_case`` would raise ``ImpossibleFacts``.
    """
    compiled = compile_scheme(scheme, on, store or default_store())
    frame = facts.lazy()
    schema = frame.collect_schema()
    for fact in compiled.facts_read:
        if fact.name not in schema:
            raise FactError(f"{scheme.name}: missing fact column {fact.name!r}")
        if schema[fact.name] != fact.dtype:
            if fact.dtype == pl.Int64() and schema[fact.name].is_integer():
                frame = frame.with_columns(pl.col(fact.name).cast(pl.Int64))
            else:
                raise FactError(
                    f"{scheme.name}: fact {fact.name!r} has dtype {schema[fact.name]},"
                    f" expected {fact.dtype}"
                )
    for layer in compiled.checked_layers:
        frame = frame.with_columns(layer)
    if keep is not None:
        frame = frame.select(list(keep))
    return frame.collect()


@dataclass(frozen=True)
class Result:
    scheme: str
    on: date
    outcome: bool
    amount_qepik: int
    trace: dict[str, Any]


def evaluate_case(
    scheme: Scheme,
    facts: Mapping[str, Any],
    *,
    on: date,
    store: ParameterStore | None = None,
) -> Result:
    """Evaluate one case on a one-row frame; the trace holds facts, parameters and steps.

    Raises ``FactError`` for a missing, unknown or malformed fact, and its ``ImpossibleFacts``
    for facts that cannot all be true (the scheme's checks), before anything is decided.
    """
    compiled = compile_scheme(scheme, on, store or default_store())
    unknown = set(facts) - scheme.fact_names
    if unknown:
        raise FactError(f"{scheme.name}: unknown fact(s) {', '.join(sorted(unknown))}")
    values = {f.name: coerce_fact(scheme.name, f, facts) for f in compiled.facts_read}
    start = pl.from_dicts([values], schema=compiled.schema).lazy()
    frame = start
    for layer in compiled.checked_layers:
        frame = frame.with_columns_seq(layer)
    try:
        collected = frame.collect(engine="in-memory", optimizations=_ONE_ROW)
    except pl.exceptions.PolarsError:
        # Impossible facts can break a step's arithmetic: say which facts, not how it broke.
        _refuse_impossible(compiled, values, start.select(compiled.checks).collect())
        raise
    _refuse_impossible(compiled, values, collected)
    row = collected.row(0, named=True)
    outcome = bool(row[scheme.outcome])
    amount = int(row[scheme.amount])
    trace = {
        "scheme": scheme.name,
        "on": on.isoformat(),
        "outcome": outcome,
        "amount_qepik": amount,
        "facts": {name: _json(value) for name, value in values.items()},
        "parameters": [dict(use) for use in compiled.trace_parameters],
        "steps": [
            {
                "name": step.name,
                "value": _json(row[step.name]),
                "version": step.version,
                "parameters": list(compiled.step_parameters[step.name]),
            }
            for step in compiled.steps
        ],
        "unmet_requirements": [r for r in scheme.requirements if not row[r]],
        "refusals": [r for r in scheme.refusals if row[r]],
    }
    return Result(scheme.name, on, outcome, amount, trace)


def _refuse_impossible(compiled: Compiled, values: Mapping[str, Any], frame: pl.DataFrame) -> None:
    """Raise ImpossibleFacts when a check's column is true in the one-row frame."""
    names = list(compiled.check_facts)
    if not names:
        return
    row = frame.select(names).row(0)
    failed = [name for name, is_true in zip(names, row, strict=True) if is_true]
    if not failed:
        return
    problems = tuple(
        Impossibility(name, {fact: values[fact] for fact in compiled.check_facts[name]})
        for name in failed
    )
    on, scheme = compiled.on, compiled.scheme.name
    reasons = " ".join(impossible(problem, "en", on=on) for problem in problems)
    raise ImpossibleFacts(
        f"{scheme}: the facts are impossible together on {on.isoformat()}: {reasons}",
        scheme=scheme,
        on=on,
        problems=problems,
    )


def coerce_fact(scheme: str, fact: Fact, facts: Mapping[str, Any]) -> Any:
    """The fact's value from JSON-like input, checked against its kind."""
    if fact.name not in facts:
        raise FactError(f"{scheme}: missing fact {fact.name!r} ({fact.description}, {fact.unit})")
    value = _COERCERS[fact.kind](fact, facts[fact.name])
    if value is None:
        raise FactError(
            f"{scheme}: fact {fact.name!r} must be {_EXPECTED[fact.kind]}{_choices(fact)}"
        )
    return value


def _whole_number(fact: Fact, raw: Any) -> int | None:
    is_whole = isinstance(raw, int) and not isinstance(raw, bool)
    return raw if is_whole and raw >= 0 else None


def _boolean(fact: Fact, raw: Any) -> bool | None:
    return raw if isinstance(raw, bool) else None


def _date(fact: Fact, raw: Any) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        return None


def _choice(fact: Fact, raw: Any) -> str | None:
    return raw if raw in fact.choices else None


def _choices(fact: Fact) -> str:
    return f" ({', '.join(fact.choices)})" if fact.choices else ""


_COERCERS: dict[str, Callable[[Fact, Any], Any]] = {
    "int": _whole_number,
    "money": _whole_number,
    "bool": _boolean,
    "date": _date,
    "choice": _choice,
}
_EXPECTED = {
    "int": "a whole number, not negative",
    "money": "a whole number of qəpik, not negative",
    "bool": "true or false",
    "date": "a date YYYY-MM-DD",
    "choice": "one of",
}


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    return value
