"""Files handed to a browser: always saved as a download, under a name that cannot mislead.

A name an applicant chose can carry characters that change what a person reads:
"invoice\u202egpj.exe" shows as "invoiceexe.jpg" (a right-to-left override), a zero-width space
hides inside it, a path separator or control character confuses the saving program. So the name
offered keeps the applicant's words without hidden, control and path characters, and ends in
the extension of the type the file's *content* was proved to be (ADR 0023). It is sent as
`Content-Disposition: attachment` with an ASCII `filename` and the full UTF-8 `filename*`
(RFC 6266, RFC 5987), with `X-Content-Type-Options: nosniff` so that no browser guesses a type.
"""

from __future__ import annotations

import unicodedata
import urllib.parse
from typing import IO

from django.http import FileResponse, HttpResponseBase

EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "text/csv": ".csv",
    "application/json": ".json",
    "application/xml": ".xml",  # payment files (pain.001) and bank statements
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
MAX_STEM = 100
# Unicode categories never shown as a letter: controls, formats (the bidi marks and overrides,
# zero-width characters), line and paragraph separators, surrogates, private use, unassigned.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_UNSAFE = str.maketrans({c: "_" for c in '/\\:*?"<>|;'})
_ASCII_LETTERS = str.maketrans("əƏıİğĞşŞçÇöÖüÜ", "eEiIgGsScCoOuU")
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)


def download_name(name: str, *, content_type: str, fallback: str = "document") -> str:
    """The file name to offer for `name`: visible characters only, no folders, at most 100
    characters before the extension, which is the one `content_type` has."""
    text = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in text if unicodedata.category(c) not in _HIDDEN_CATEGORIES)
    stem, dot, _extension = text.rpartition(".")
    stem = (stem if dot else text).translate(_UNSAFE)
    stem = " ".join(stem.split())[:MAX_STEM].strip(" .") or fallback
    if stem.upper().split(".")[0] in _WINDOWS_DEVICES:
        stem = f"_{stem}"
    return stem + EXTENSIONS.get(content_type.split(";")[0].strip().lower(), "")


def content_disposition(name: str, *, inline: bool = False) -> str:
    """The header value for a `download_name`: an ASCII `filename` for old clients and the
    exact name as `filename*`."""
    kind = "inline" if inline else "attachment"
    folded = unicodedata.normalize("NFKD", name.translate(_ASCII_LETTERS))
    ascii_name = folded.encode("ascii", "ignore").decode().translate(_UNSAFE)
    stem, dot, extension = ascii_name.rpartition(".")
    if not (stem if dot else ascii_name).strip(" ."):  # nothing left of a Cyrillic name
        ascii_name = f"document.{extension}" if dot else "document"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(name)}"


def download_headers_set(
    response: HttpResponseBase, *, name: str, content_type: str, inline: bool = False
) -> HttpResponseBase:
    """Mark `response` as the file `name` of `content_type`, to be saved, never sniffed."""
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition(
        download_name(name, content_type=content_type), inline=inline
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_download(file: IO[bytes], *, name: str, content_type: str) -> FileResponse:
    """A stored file, streamed as a download (private: it is someone's document)."""
    response = FileResponse(file, content_type=content_type)
    download_headers_set(response, name=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
