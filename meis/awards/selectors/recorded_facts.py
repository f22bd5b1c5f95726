"""The facts awards' decisions recorded (`Award.record["facts"]`), read set-based for a rule.

`recorded_facts_read` is for many awards what `meis.rules.engine.coerce_fact` is for one case:
each fact comes out in its kind's type, and a record that lacks one of the rule's facts, or
holds a value `coerce_fact` would refuse, is marked as without facts rather than guessed at.

The database extracts each fact's JSON type and its value as text, and Polars converts them.
Both are needed: as text alone, JSON `true` (SQLite writes it 1), `1`, `1.0` and `"1"` are too
alike to tell a boolean from a number, or a number from a string, which `coerce_fact` does.
PostgreSQL's jsonb already stores a number in its canonical form (1e2 is 100), the form Django
would have read it in too, so the same award gets the same verdict either way.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import polars as pl

from meis.core import bulk
from meis.rules.engine import Fact, Scheme, coerce_fact
from meis.rules.errors import FactError

_SELECT_SQL = """
SELECT a.id, a.amount_qepik, {facts}
FROM awards_award a
WHERE {where}
ORDER BY a.id
"""

# PostgreSQL: the fact's jsonb_typeof (string, number, boolean, null, object, array; SQL NULL
# when the record lacks it) and its value as text (`->>` writes booleans as true / false).
_FACT_POSTGRESQL = "jsonb_typeof(a.record->'facts'->%s::text), a.record->'facts'->>%s::text"

# SQLite: json_type says text / integer / real / true / false where PostgreSQL says string /
# number / boolean, and json_extract gives a boolean as 1 or 0 (as if a number): both are
# translated to PostgreSQL's words, so that the two databases give the same frame.
_FACT_SQLITE = """
CASE json_type(a.record, %s)
    WHEN 'text' THEN 'string' WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number'
    WHEN 'true' THEN 'boolean' WHEN 'false' THEN 'boolean' ELSE json_type(a.record, %s) END,
CASE json_type(a.record, %s)
    WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE json_extract(a.record, %s) END
"""

# The text of a whole number, not negative, as JSON writes it (no sign, point or exponent).
_WHOLE = r"^[0-9]+$"
# A date as awards record it; `date.fromisoformat` also reads rarer ISO forms (20200101,
# 2020-W01-1), which go to Python itself, one by one.
_PLAIN_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def recorded_facts_read(scheme: Scheme, *, where: str, params: Sequence[object]) -> pl.DataFrame:
    """The awards `a` matching `where`, by id: award_id, amount_qepik, has_facts, the facts.

    A fact is null where `coerce_fact` would refuse the recorded value (or there is none);
    `has_facts` says whether the rule has all it reads, as `coerce_fact` would for every fact.
    """
    columns, fact_params = _fact_columns(scheme)
    sql = _SELECT_SQL.format(facts=", ".join(columns), where=where)
    schema: dict[str, pl.DataType] = {"award_id": pl.Int64(), "amount_qepik": pl.Int64()}
    for fact in scheme.facts:
        schema |= {_type(fact): pl.String(), _text(fact): pl.String()}
    raw = bulk.frame_read(sql, [*fact_params, *params], schema)
    return _facts_typed(scheme, raw)


def _fact_columns(scheme: Scheme) -> tuple[list[str], list[object]]:
    """Two columns per fact (JSON type, text) and their parameters: the fact's name or path."""
    columns: list[str] = []
    params: list[object] = []
    for fact in scheme.facts:
        if bulk.is_postgresql():
            columns.append(_FACT_POSTGRESQL)
            params += [fact.name] * 2
        else:
            columns.append(_FACT_SQLITE)
            params += [f'$.facts."{fact.name}"'] * 4
    return columns, params


def _facts_typed(scheme: Scheme, raw: pl.DataFrame) -> pl.DataFrame:
    """Each fact's (JSON type, text) pair as the fact's value, or null where refused."""
    typed = raw.with_columns(_accepted(fact) for fact in scheme.facts)
    typed = typed.with_columns(
        _iso_dates(fact, typed[fact.name]) for fact in scheme.facts if fact.kind == "date"
    )
    has_facts = pl.all_horizontal(pl.col(fact.name).is_not_null() for fact in scheme.facts)
    return typed.select(
        "award_id",
        "amount_qepik",
        has_facts.alias("has_facts"),
        *(fact.name for fact in scheme.facts),
    )


def _accepted(fact: Fact) -> pl.Expr:
    """The fact's value where `coerce_fact` accepts it (dates: their text, see `_iso_dates`)."""
    json_type, text = pl.col(_type(fact)), pl.col(_text(fact))
    if fact.kind in ("int", "money"):  # a whole number, not negative: not 1.0, "1" or true
        is_whole = (json_type == "number") & text.str.contains(_WHOLE)
        value = pl.when(is_whole).then(text.cast(pl.Int64, strict=False))
    elif fact.kind == "bool":  # true or false only: not 1, "true" or null
        value = pl.when(json_type == "boolean").then(text == "true")
    elif fact.kind == "choice":  # one of the choices, as a string
        value = pl.when((json_type == "string") & text.is_in(list(fact.choices))).then(text)
    else:  # a date: read from a string, or from a number such as 20200101 (as str() gives it)
        value = pl.when(json_type.is_in(["string", "number"])).then(text)
    return value.alias(fact.name)


def _iso_dates(fact: Fact, text: pl.Series) -> pl.Series:
    """The texts as `date.fromisoformat` reads them; null where it would refuse."""
    plain = pl.col("text").str.contains(_PLAIN_DATE)
    parsed = pl.col("text").str.to_date("%Y-%m-%d", strict=False)
    # Polars reads a year 0, which Python's dates do not have.
    dates = pl.DataFrame({"text": text}).select(
        date=pl.when(plain & (parsed.dt.year() >= 1)).then(parsed)
    )["date"]
    rare = (~text.str.contains(_PLAIN_DATE) & text.is_not_null()).arg_true()
    if rare.len() > 0:
        dates.scatter(rare, [_python_date(fact, value) for value in text.gather(rare)])
    return dates.alias(fact.name)


def _python_date(fact: Fact, text: str) -> datetime.date | None:
    try:
        value: datetime.date = coerce_fact("", fact, {fact.name: text})
    except FactError:
        return None
    return value


def _type(fact: Fact) -> str:
    return f"{fact.name}:json_type"


def _text(fact: Fact) -> str:
    return f"{fact.name}:text"
