"""`{% load statistics_tags %}`: a statistics table's cell, written as its series says."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from meis.core import formats

register = template.Library()


@register.filter
def cell(value: float | None, how: str) -> str:
    if how == "suppressed" and value is None:
        return _("fewer than 10")
    if value is None:
        return "—"
    if how == "decimal":
        return formats.decimal_number(float(value), 1)
    return formats.count(int(value))


@register.filter
def published(value: int) -> str:
    """A public count: 1 to 9 are written "fewer than 10"."""
    if 0 < value < 10:
        return _("fewer than 10")
    return formats.count(value)
