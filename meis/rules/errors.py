"""Errors raised by the rules package; each message says what is wrong and what to do."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


class RulesError(Exception):
    """Base class: anything the caller can report as a one-line message."""


class ParameterError(RulesError):
    """A parameter file is invalid, or a parameter has no value on the asked date."""


class FactError(RulesError):
    """A fact is missing, unknown or of the wrong type."""


@dataclass(frozen=True)
class Impossibility:
    """One combination of facts that cannot be true: the check that found it and the facts it
    read, as given (dates as ``date``, amounts as integer qəpik)."""

    check: str
    facts: Mapping[str, Any]


class ImpossibleFacts(FactError):
    """Facts that cannot all be true (a disability established before birth, a birth after the
    evaluation date…): refused before the rules decide anything.

    The message is English; ``problems`` lets a page say the same in the reader's language
    (``meis.rules.explain.impossible``).
    """

    def __init__(
        self, message: str, *, scheme: str, on: date, problems: tuple[Impossibility, ...]
    ) -> None:
        super().__init__(message)
        self.scheme = scheme
        self.on = on
        self.problems = problems

    @property
    def facts(self) -> frozenset[str]:
        """Every fact involved in an impossibility: the ones to check and correct."""
        return frozenset(name for problem in self.problems for name in problem.facts)


class SchemeError(RulesError):
    """An unknown scheme or a scheme defined inconsistently."""
