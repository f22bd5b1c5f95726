"""Template context every portal page needs: the language switch."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


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
                href=_translated_path(path, code, current),
                is_current=code == current,
            )
            for code, _name in settings.LANGUAGES
        ]
    }


def _translated_path(path: str, code: str, current: str) -> str:
    """This page in another language; that language's home page when the path does not resolve."""
    translated = translate_url(path, code)
    if translated == path and code != current:
        return f"/{code}/"
    return translated
