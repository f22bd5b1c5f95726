"""What a page shows a person, and what in it is a raw code or an untranslated English string.

    visible_text(html) -> the text a person sees (and a screen reader reads), one line per block
    find_raw_text(text, "az") -> the offending fragments, [] for a clean page

Offences, in any language:

- a snake_case identifier (``identity_card``, ``lankaran_astara``, ``NOT_SCANNED``);
- a dotted identifier (``case.read``, ``award.suspend``); every part at least two letters, so
  "e.g." and "i.e." are not codes, and file names (``arayis.pdf``) and domains are left alone;
- an internal user name (``citizen-79V7533``): a person is shown by name; an internal reference
  (``award-52``): a thing is shown by its name or its public reference.

On an Azerbaijani or Russian page, also an English message of the project's catalogue that has a
translation in that language (``meis/locale/<lang>/LC_MESSAGES/django.mo``, the compiled catalogue
Django serves): only multi-word messages, or capitalised single words of four letters or more
that make a whole line (a label such as "Documents"; a lower-case word, like a model's name, or
a word inside a sentence is part of English still waiting for its translation), matched whole
and case-sensitively, and only where the translation differs from the English.

Not offences: text inside ``<code>``/``<kbd>``/``<samp>`` (``visible_text`` drops it: it is shown
as code on purpose), reference numbers (``MEİS-2026-000123``), e-mail addresses, web addresses,
IBANs and file names. Tests import this module (the text crawl, the browser crawl); it is not part
of the product.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "meis" / "locale"

# Elements whose content is never shown, or shown as code on purpose.
SKIPPED = frozenset({"script", "style", "template", "head", "code", "kbd", "samp", "svg"})
# Inline elements: their text runs on with the text around them.
INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "i", "mark", "q", "s", "small"}
    | {"span", "strong", "sub", "sup", "time", "u", "var", "wbr", "label", "output", "ins", "del"}
)
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr", "param"}
)
# Attributes a person sees or hears as text.
SPOKEN_ATTRIBUTES = ("alt", "aria-label", "placeholder", "title")

ALLOWED = [
    re.compile(r"\S+@\S+\.\w+"),  # e-mail addresses
    re.compile(r"(?:https?://|www\.)\S+"),  # web addresses
    re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:az|com|org|net|gov|ru|edu|int|io|local)\b/?\S*"),
    re.compile(r"\bAZ\d{2}[A-Z]{4}[A-Z0-9]{20}\b"),  # Azerbaijani IBANs
    re.compile(
        r"\b[\w-]+\.(?:pdf|png|jpe?g|gif|csv|txt|xml|json|zip|docx?|xlsx?|html?|p7s)\b", re.I
    ),
    re.compile(r"\bMEİS-\d{4}-[\w-]+"),  # reference numbers
]
SNAKE_CASE = re.compile(r"(?<![\w.-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w-])")
DOTTED = re.compile(r"(?<![\w.-])[a-z][a-z0-9_]+(?:\.[a-z][a-z0-9_]+)+(?![\w-])")
USER_NAME = re.compile(
    r"(?<![\w-])(?:[a-z]+-(?=[0-9A-Z]*[0-9])[0-9A-Z]{5,}|[a-z]{3,}-[0-9]+)(?![\w-])"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
LETTER = re.compile(r"[^\W\d_]")


def visible_text(html: str) -> str:
    """The page's text a person sees: no script, style, template, ``<code>``, hidden element or
    hidden input; ``alt``, ``aria-label``, ``placeholder``, ``title`` and button values are
    included. Text marked as another language than the page's (``lang`` differs from ``<html
    lang>``, as the language switch's "English" on an Azerbaijani page) is left out: it is in that
    language on purpose. Blocks are separated by newlines, whitespace inside a line collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def find_raw_text(visible_text: str, language: str) -> list[str]:
    """The raw codes and, on az and ru pages, the translated English messages in the text."""
    text = visible_text
    for pattern in ALLOWED:
        text = pattern.sub(" ", text)
    found: list[str] = []
    for pattern in (SNAKE_CASE, DOTTED, USER_NAME):
        found += pattern.findall(text)
        text = pattern.sub(" ", text)
    english = _english_messages(language)
    if english is not None:
        found += [m.group(0) for m in english.finditer(text)]
    return list(dict.fromkeys(found))


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: str | None = None  # the tag whose content is being skipped
        self.depth = 0  # nesting of that tag inside itself
        self.language = ""  # the page's, from <html lang>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping is not None:
            self.depth += tag == self.skipping
            return
        attributes = dict(attrs)
        if tag == "html":
            self.language = (attributes.get("lang") or "")[:2]
        if tag not in VOID and (tag in SKIPPED or self._is_hidden_or_foreign(attributes)):
            self.skipping, self.depth = tag, 1
            return
        if tag == "input" and (attributes.get("type") or "").lower() == "hidden":
            return
        self.parts.append("" if tag in INLINE else "\n")
        self.parts += [f" {attributes[a]} " for a in SPOKEN_ATTRIBUTES if attributes.get(a)]
        if tag == "input" and (attributes.get("type") or "").lower() in {"submit", "button"}:
            self.parts.append(f" {attributes.get('value') or ''} ")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping is not None:
            self.depth -= tag == self.skipping
            if self.depth == 0:
                self.skipping = None
            return
        self.parts.append("" if tag in INLINE else "\n")

    def handle_data(self, data: str) -> None:
        if self.skipping is None:
            self.parts.append(data)

    def _is_hidden_or_foreign(self, attributes: dict[str, str | None]) -> bool:
        style = (attributes.get("style") or "").replace(" ", "").lower()
        language = (attributes.get("lang") or self.language)[:2]
        return "hidden" in attributes or "display:none" in style or language != self.language


@cache
def _english_messages(language: str) -> re.Pattern[str] | None:
    """One pattern matching every English message translated into ``language``, longest first."""
    if language not in {"az", "ru"}:
        return None
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as catalogue:
        # GNUTranslations keeps its messages only in `_catalog`: msgid, or (msgid, n) for plurals.
        messages = gettext.GNUTranslations(catalogue)._catalog  # type: ignore[attr-defined]
    sources = {
        (key[0] if isinstance(key, tuple) else key).split("\x04")[-1]
        for key, translated in messages.items()
        if translated and translated != (key[0] if isinstance(key, tuple) else key)
    }
    patterns = [_message_pattern(msgid) for msgid in sorted(sources, key=len, reverse=True)]
    alternatives = [p for p in patterns if p]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _message_pattern(msgid: str) -> str:
    """A message as a pattern: whitespace collapsed, inner placeholders as any short run of text; ""
    for a message too short to tell apart from a word in another language or one with markup."""
    text = " ".join(msgid.split())
    if "<" in text or not text:
        return ""
    literal = PLACEHOLDER.sub(" ", text)
    words = [w for w in literal.split() if LETTER.search(w)]
    if not words or (
        len(words) == 1 and (len(LETTER.findall(words[0])) < 4 or not words[0][0].isupper())
    ):
        return ""
    if len(words) == 1 and literal.strip() == text:
        # A one-word label counts only as a whole line (a heading, a cell, a button): inside a
        # sentence it is part of English that has no translation yet.
        return r"(?:(?<=\n)|^)" + re.escape(text) + r"(?=\n|$)"
    # A placeholder at either end is left out: the match is the message's own words.
    pieces = [re.escape(piece.strip()) for piece in PLACEHOLDER.split(text)]
    pieces = pieces[next(i for i, p in enumerate(pieces) if p) :]
    while not pieces[-1]:
        pieces.pop()
    pattern = r"[^\n]{1,80}?".join(pieces)
    return pattern.replace(r"\ ", r"\s+").replace(" ", r"\s+")
