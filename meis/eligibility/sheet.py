"""A fact sheet: the facts a scheme reads for one person on one date, each with its provenance.

`FactSheet` is what the registers say (provenance *registry*) and which facts no register holds
for this person (`to_declare`: the citizen declares them). `facts_merge` puts the citizen's
declared answers beside it: a register's fact is used unless the citizen contradicts it; a
contradicting declared value is used as declared, never silently replaced by the register's,
and flagged (`is_contradicted`, with the register's value kept beside it) for the case worker.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from meis.rules.engine import Fact, coerce_fact
from meis.rules.errors import FactError
from meis.rules.schemes import get_scheme


class Provenance(enum.StrEnum):
    REGISTRY = "registry"
    DECLARED = "declared"


@dataclass(frozen=True)
class RegistryFact:
    """One fact as a register holds it, and which register (or rule over registers) gave it."""

    value: Any
    register: str


@dataclass(frozen=True)
class Note:
    """Why a register is silent or what it read, for the case worker (`text` is translatable)."""

    code: str
    text: str | Promise


@dataclass(frozen=True)
class FactSheet:
    scheme: str
    on: datetime.date
    person_id: int | None  # whose facts: the applicant, or the child a parent applies for
    household_id: int | None
    facts: Mapping[str, RegistryFact]
    to_declare: tuple[str, ...]  # the scheme's facts no register holds for this person
    notes: tuple[Note, ...] = ()
    # Dates a grant needs beyond the rule's facts (the day of the birth a benefit is for).
    context: Mapping[str, Any] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        return {name: fact.value for name, fact in self.facts.items()}


@dataclass(frozen=True)
class MergedFact:
    name: str
    value: Any
    provenance: Provenance
    registry_value: Any = None
    is_contradicted: bool = False

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": _json(self.value), "provenance": str(self.provenance)}
        if self.is_contradicted:
            data["registry_value"] = _json(self.registry_value)
            data["is_contradicted"] = True
        return data


@dataclass(frozen=True)
class MergedFacts:
    """The facts the rule is given, in the scheme's order, and those nobody gave."""

    sheet: FactSheet
    facts: Mapping[str, MergedFact]
    missing: tuple[str, ...]

    @property
    def contradictions(self) -> tuple[str, ...]:
        return tuple(name for name, fact in self.facts.items() if fact.is_contradicted)

    def values(self) -> dict[str, Any]:
        return {name: fact.value for name, fact in self.facts.items()}

    def as_json(self) -> dict[str, dict[str, Any]]:
        return {name: fact.as_json() for name, fact in self.facts.items()}


def facts_merge(sheet: FactSheet, declared: Mapping[str, Any]) -> MergedFacts:
    """The register's facts with the citizen's declared answers (same names as the facts).

    An answer left blank declares nothing. An answer equal to the register's value confirms it
    (provenance stays *registry*); a different one is kept as declared and flagged.
    """
    scheme = get_scheme(sheet.scheme)
    merged: dict[str, MergedFact] = {}
    missing: list[str] = []
    for fact in scheme.facts:
        held = sheet.facts.get(fact.name)
        said = declared.get(fact.name)
        is_said = said is not None and said != ""
        if held is not None and (not is_said or _same(scheme.name, fact, held.value, said)):
            merged[fact.name] = MergedFact(fact.name, held.value, Provenance.REGISTRY)
        elif held is not None:
            merged[fact.name] = MergedFact(
                fact.name, said, Provenance.DECLARED, held.value, is_contradicted=True
            )
        elif is_said:
            merged[fact.name] = MergedFact(fact.name, said, Provenance.DECLARED)
        else:
            missing.append(fact.name)
    return MergedFacts(sheet=sheet, facts=merged, missing=tuple(missing))


def _same(scheme: str, fact: Fact, held: Any, said: Any) -> bool:
    """Equal once both are read as the fact's kind (a date as text or as a date)."""
    try:
        return bool(
            coerce_fact(scheme, fact, {fact.name: held})
            == coerce_fact(scheme, fact, {fact.name: said})
        )
    except FactError:
        return bool(held == said)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value
