"""Template filters of the inspection pages."""

from __future__ import annotations

from django import template

register = template.Library()

VISIBLE_FIN_CHARACTERS = 2


@register.filter
def fin_masked(fin: str | None) -> str:
    """A FİN shown on a list before the person is opened: its last two characters only, enough
    to tell two rows apart, not enough to look the person up."""
    value = fin or ""
    return "•" * (len(value) - VISIBLE_FIN_CHARACTERS) + value[-VISIBLE_FIN_CHARACTERS:]
