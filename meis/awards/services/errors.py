"""The one error of the awards' writes, for the callers (pages, case decisions) to show."""

from __future__ import annotations


class AwardError(Exception):
    """An award cannot be granted, suspended or resumed as asked; the message says why and what
    to do next, in the user's language."""
