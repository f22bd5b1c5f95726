"""`{% load layout %}`: parts of the page layout rendered once per process and language.

    {% unchanging "footer" %} … {% endunchanging %}

The footer, the skip link and the brand are the same on every page in a language: links to
fixed pages, translated sentences, static files. Rendering them costs template nodes, URL
reversing and catalogue look-ups on every request (issue 24: layout fragments that do not change
per request are cached). The first render in each language is kept in the process and
returned thereafter; a new process, or a deploy, renders them again.

Only for what is the same for every visitor in a language: nothing about the request, the user,
the session, the CSRF token or the page's own path may be inside. Each fragment's name is its
key, so names must be unique across templates. Under DEBUG nothing is kept, so that template
edits show at once.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.base import Node, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# (fragment name, language) → the rendered fragment. Bounded: a few names × three languages.
_rendered: dict[tuple[str, str], SafeString] = {}


class UnchangingNode(Node):
    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        if settings.DEBUG:
            return str(self.nodelist.render(context))
        key = (self.name, get_language() or settings.LANGUAGE_CODE)
        found = _rendered.get(key)
        if found is None:
            found = mark_safe(self.nodelist.render(context))  # noqa: S308 — the template's own output
            _rendered[key] = found
        return found


@register.tag
def unchanging(parser: Parser, token: Token) -> UnchangingNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('Usage: {% unchanging "name" %} … {% endunchanging %}')
    nodelist = parser.parse(("endunchanging",))
    parser.delete_first_token()
    return UnchangingNode(bits[1][1:-1], nodelist)


def forget(**_kwargs: Any) -> None:
    """Drop every kept fragment: a changed setting (a test's URLconf, languages or static
    storage) may change what they render."""
    _rendered.clear()


setting_changed.connect(forget, dispatch_uid="meis.core.templatetags.layout.forget")
