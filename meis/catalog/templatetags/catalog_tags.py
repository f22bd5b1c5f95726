"""`{% load catalog_tags %}`: `{{ definition.label|translated }}` picks the active language."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from meis.catalog.definitions import text_in

register = template.Library()


@register.filter
def translated(text: Mapping[str, str]) -> str:
    return text_in(text)


@register.filter
def kilobytes_as_megabytes(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.0f}" if kilobytes >= 1024 else f"{kilobytes / 1024:.1f}"
