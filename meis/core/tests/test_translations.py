"""The Azerbaijani and Russian catalogues are complete, and the compiled catalogues match them.

A string added to the code without a translation would show in English on an Azerbaijani page;
a `.po` edited without `make messages` compiling it would never reach the running site.
"""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED = ("az", "ru")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstrs: dict[int, str] | None = None
    msgctxt: str | None = None
    fuzzy: bool = False
    obsolete: bool = False


def catalogue_read(path: Path) -> list[Entry]:
    """The entries of a `.po` file (what these tests need of the format, nothing more)."""
    entries: list[Entry] = []
    entry, field = Entry(msgstrs={}), ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry.msgid or entry.msgstrs:
                entries.append(entry)
            entry, field = Entry(msgstrs={}), ""
        elif line.startswith("#"):
            entry.obsolete |= line.startswith("#~")
            entry.fuzzy |= line.startswith("#,") and "fuzzy" in line
        elif line.startswith('"'):
            _append(entry, field, ast.literal_eval(line))
        else:
            field, _, rest = line.partition(" ")
            _append(entry, field, ast.literal_eval(rest))
    return [e for e in entries if e.msgid and not e.obsolete]


def _append(entry: Entry, field: str, value: str) -> None:
    assert entry.msgstrs is not None
    if field in ("msgid", "msgid_plural"):
        setattr(entry, field, getattr(entry, field) + value)
    elif field == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + value
    elif field.startswith("msgstr"):
        index = int(field[len("msgstr[") : -1]) if field != "msgstr" else 0
        entry.msgstrs[index] = entry.msgstrs.get(index, "") + value


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    missing = [
        e.msgid
        for e in catalogue_read(_po(language))
        if not e.msgstrs or not all(e.msgstrs.values())
    ]
    assert missing == [], f"untranslated in {language}: run `make messages` and translate"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_is_fuzzy(language: str) -> None:
    fuzzy = [e.msgid for e in catalogue_read(_po(language)) if e.fuzzy]
    assert fuzzy == [], f"fuzzy in {language}: check the translation and remove the flag"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_matches_the_source(language: str) -> None:
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in catalogue_read(_po(language)):
        assert e.msgstrs is not None
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural:
            got = compiled.ngettext(e.msgid, e.msgid_plural, 1) if e.msgctxt is None else None
            if got is not None and got != e.msgstrs.get(0):
                stale.append(e.msgid)
        elif compiled._catalog.get(key) != e.msgstrs.get(0):  # type: ignore[attr-defined]
            stale.append(e.msgid)
    assert stale == [], f"{language}: django.mo is older than django.po — run `make messages`"
