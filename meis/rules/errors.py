"""Errors raised by the rules package; each message says what is wrong and what to do."""


class RulesError(Exception):
    """Base class: anything the caller can report as a one-line message."""


class ParameterError(RulesError):
    """A parameter file is invalid, or a parameter has no value on the asked date."""


class FactError(RulesError):
    """A fact is missing, unknown or of the wrong type."""


class SchemeError(RulesError):
    """An unknown scheme or a scheme defined inconsistently."""
