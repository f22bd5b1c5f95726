"""Personalisation fields written `((name))` in templates (the GOV.UK Notify convention)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.html import escape, linebreaks

from meis.core.addresses import public_url

PLACEHOLDER = re.compile(r"\(\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\)")


def placeholders_in(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def is_link(field: str) -> bool:
    """A field holding an address (`portal_url`, …): the site's paths become absolute."""
    return field.endswith("_url")


def links_absolute(context: Mapping[str, object]) -> dict[str, object]:
    """The context with every link field an absolute address a phone can open."""
    return {
        field: public_url(str(value)) if is_link(field) else value
        for field, value in context.items()
    }


def render_text(text: str, context: Mapping[str, object]) -> str:
    return PLACEHOLDER.sub(lambda match: str(context[match.group(1)]), text)


def render_html(html: str, context: Mapping[str, object]) -> str:
    """Fill an HTML template; every value is escaped."""
    return PLACEHOLDER.sub(lambda match: escape(str(context[match.group(1)])), html)


def html_from_text(text: str, context: Mapping[str, object]) -> str:
    """The HTML alternative of a text-only template: escaped paragraphs."""
    return linebreaks(render_text(text, context), autoescape=True)
