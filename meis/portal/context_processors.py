"""Template context every portal page needs: the language switch."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, ResolverMatch, reverse, translate_url
from django.utils.translation import get_language, get_language_info, override


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switch: the language named in itself, and this page in it."""

    code: str
    name_local: str
    href: str
    is_current: bool


def language_links(request: HttpRequest) -> dict[str, list[LanguageLink]]:
    """Links to the same page under each language prefix (/az/…, /en/…, /ru/…)."""
    current = get_language()
    path = request.get_full_path()
    return {
        "language_links": [
            LanguageLink(
                code=code,
                name_local=str(get_language_info(code)["name_local"]),
                href=_translated_path(request, path, code, current),
                is_current=code == current,
            )
            for code, _name in settings.LANGUAGES
        ]
    }


def _translated_path(request: HttpRequest, path: str, code: str, current: str) -> str:
    """This page in another language; that language's home page when the path does not resolve.

    The page's own resolution (`request.resolver_match`) is reused: `translate_url` would
    resolve the path again for every language. Error pages have none and use it."""
    if code == current:
        return path
    match = getattr(request, "resolver_match", None)
    translated = translate_url(path, code) if match is None else _reversed_in(match, path, code)
    return f"/{code}/" if translated == path else translated


def _reversed_in(match: ResolverMatch, path: str, code: str) -> str:
    """`translate_url(path, code)` for a path already resolved to `match`."""
    with override(code):
        try:
            translated = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return path
    query = urlsplit(path).query
    return f"{translated}?{query}" if query else translated
