"""Field types shared by the API's schemas: a FİN exactly as the register writes it, and a
day as YYYY-MM-DD."""

from __future__ import annotations

import datetime
import re
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import BeforeValidator, WithJsonSchema

from meis.core.identifiers import (
    DOCUMENT_PATTERNS,
    FIN_PATTERN,
    InvalidIdentifier,
    normalize_document_number,
    normalize_fin,
)


def _iso_day(value: object) -> object:
    """Only "YYYY-MM-DD": pydantic would also take 0 or 1583020800 as a day (Unix time)."""
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("write the day as YYYY-MM-DD")
    return value


IsoDay = Annotated[datetime.date, BeforeValidator(_iso_day)]


def _fin(value: object) -> str:
    """A machine sends the FİN as the register keeps it: no spaces, capitals, 7 characters."""
    if not isinstance(value, str):
        raise ValueError(_("Send the FİN as text."))
    if value != value.strip() or value != value.upper():
        raise ValueError(_("Send the FİN in capital Latin letters and digits, without spaces."))
    try:
        fin = normalize_fin(value)
    except InvalidIdentifier as error:
        raise ValueError(" ".join(str(message) for message in error.messages)) from None
    if fin != value:
        raise ValueError(_("Send the FİN in capital Latin letters and digits, without spaces."))
    return fin


# The document says exactly what is valid (so that generated requests are valid ones); the
# validator says what is wrong in words, which a bare pattern would not.
Fin = Annotated[
    str,
    BeforeValidator(_fin),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": FIN_PATTERN.pattern,
            "minLength": 7,
            "maxLength": 7,
            "description": "FİN: 7 Latin capitals and digits, never I or O.",
            "examples": ["5ABC123"],
        }
    ),
]


def _document_number(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(_("Send the document number as text."))
    try:
        number = normalize_document_number(value).number
    except InvalidIdentifier as error:
        raise ValueError(" ".join(str(message) for message in error.messages)) from None
    if number != value:
        raise ValueError(_("Send the document number as printed, in capitals, without spaces."))
    return number


DocumentNumber = Annotated[
    str,
    BeforeValidator(_document_number),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^("
            + "|".join(p.pattern.strip("^$") for p in DOCUMENT_PATTERNS.values())
            + ")$",
            "description": "The identity card's number as printed: AA and 7 digits, or AZE and 8.",
            "examples": ["AA1234567"],
        }
    ),
]

IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{8,128}$"


def _idempotency_key(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, value):
        raise ValueError(
            _("Send an Idempotency-Key of 8 to 128 printable characters, such as a UUID.")
        )
    return value


IdempotencyKey = Annotated[
    str,
    BeforeValidator(_idempotency_key),
    WithJsonSchema({"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN}),
]
