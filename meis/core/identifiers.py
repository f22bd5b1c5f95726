"""Identifiers of people, documents, employers, phones and bank accounts (docs/domain.md §1).

Every format MEİS accepts is defined here and nowhere else. Each `normalize_*` function takes
what a person typed (any case, stray spaces or hyphens) and returns the canonical form, or raises
`InvalidIdentifier` whose message says what is wrong and what to do, in the active language.

Sources: docs/domain.md §1 — FİN structure (avtokasko.az, kriptoinvest.az), identity-card series
(azernews.az; prefixes AZE/AA from memory, kept as data in DOCUMENT_PATTERNS), VÖEN check digit
(python-stdnum `stdnum.az.voen`), mobile prefixes (libphonenumber metadata), IBAN (ISO 13616).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

# Longest input any identifier can take, even with spaces; longer input is refused before any
# regular expression or database look-up sees it.
MAX_INPUT_LENGTH = 40

_SEPARATORS = re.compile(r"[\s\-–—.]+")


class InvalidIdentifier(ValidationError):
    """A malformed identifier; `code` names which rule it broke."""


def _compact(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidIdentifier(_("Enter a value."), code="required")
    if len(value) > MAX_INPUT_LENGTH:
        raise InvalidIdentifier(_("This value is too long."), code="too_long")
    compact = _SEPARATORS.sub("", value).upper()
    if not compact:
        raise InvalidIdentifier(_("Enter a value."), code="required")
    return compact


# --- FİN ------------------------------------------------------------------------------------
FIN_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
FIN_PATTERN = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")


def normalize_fin(value: object) -> str:
    """Fərdi identifikasiya nömrəsi (FİN): 7 Latin capitals and digits, never I or O.

    There is no public check digit, so only the structure is validated (docs/domain.md §1).
    """
    fin = _compact(value)
    if len(fin) != 7:
        raise InvalidIdentifier(
            _("A FİN has exactly 7 characters; you entered %(count)d."),
            code="fin_length",
            params={"count": len(fin)},
        )
    if not FIN_PATTERN.match(fin):
        raise InvalidIdentifier(
            _(
                "A FİN contains only Latin letters and digits and never the letters I or O "
                "(use the digits 1 and 0). Check the FİN on your identity card."
            ),
            code="fin_format",
        )
    return fin


# --- Identity documents ---------------------------------------------------------------------
class DocumentGeneration(models.TextChoices):
    """Nəsil: which generation of identity card a number belongs to."""

    OLD_ID_CARD = "old_id_card", _("Identity card (old generation)")
    BIOMETRIC_ID_CARD = "biometric_id_card", _("Identity card (biometric, from 1 Sep 2018)")


# Series and digit counts by generation: the prefixes are from memory (docs/domain.md open question 1)
# and live here only, so correcting them is a one-line change.
DOCUMENT_PATTERNS: dict[DocumentGeneration, re.Pattern[str]] = {
    DocumentGeneration.OLD_ID_CARD: re.compile(r"^AZE\d{8}$"),
    DocumentGeneration.BIOMETRIC_ID_CARD: re.compile(r"^AA\d{7}$"),
}


@dataclass(frozen=True)
class DocumentNumber:
    """Şəxsiyyət vəsiqəsinin nömrəsi, normalised, with the card generation it belongs to."""

    number: str
    generation: DocumentGeneration


def normalize_document_number(value: object) -> DocumentNumber:
    """An identity-card number of either generation: `AZE` + 8 digits or `AA` + 7 digits."""
    number = _compact(value)
    for generation, pattern in DOCUMENT_PATTERNS.items():
        if pattern.match(number):
            return DocumentNumber(number=number, generation=generation)
    raise InvalidIdentifier(
        _(
            "An identity-card number is AZE followed by 8 digits (old card) or AA followed by "
            "7 digits (biometric card). Check the number printed on your card."
        ),
        code="document_format",
    )


# --- VÖEN -----------------------------------------------------------------------------------
VOEN_WEIGHTS = (4, 1, 8, 6, 2, 7, 5, 3)
VOEN_PATTERN = re.compile(r"^\d{10}$")


def voen_check_digit(first_eight_digits: str) -> int | None:
    """The 9th digit of a VÖEN: Σ(dᵢ × wᵢ) mod 11; None when the remainder is 10 (no valid VÖEN)."""
    remainder = sum(int(d) * w for d, w in zip(first_eight_digits, VOEN_WEIGHTS, strict=True)) % 11
    return None if remainder == 10 else remainder


def normalize_voen(value: object) -> str:
    """Vergi ödəyicisinin eyniləşdirmə nömrəsi (VÖEN): 10 digits `TT SSSSSS C L`.

    C is the check digit (`voen_check_digit`); L is 1 for a legal person, 2 for a natural person.
    A 9-digit input has lost its leading zero (spreadsheets do that) and is padded back.
    """
    voen = _compact(value)
    if voen.isdigit() and len(voen) == 9:
        voen = "0" + voen
    if not VOEN_PATTERN.match(voen):
        raise InvalidIdentifier(_("A VÖEN has exactly 10 digits."), code="voen_format")
    if voen[9] not in "12":
        raise InvalidIdentifier(
            _("The last digit of a VÖEN is 1 (legal person) or 2 (natural person)."),
            code="voen_type",
        )
    if voen_check_digit(voen[:8]) != int(voen[8]):
        raise InvalidIdentifier(
            _("This VÖEN is not valid: its check digit does not match. Check for a typing error."),
            code="voen_checksum",
        )
    return voen


# --- Mobile phone ---------------------------------------------------------------------------
COUNTRY_CALLING_CODE = "994"
# The 9-digit national significant number of a mobile line (libphonenumber, docs/domain.md §1).
MOBILE_NSN_PATTERN = re.compile(
    r"^(?:36554\d{4}|99[2-9]\d{6}|(?:10|60|40|44|50|51|55|70|77)\d{7})$"
)
_PHONE_INPUT = re.compile(r"^(?:\+?994|00994|0)?(\d{9})$")


def normalize_mobile_phone(value: object) -> str:
    """An Azerbaijani mobile number in E.164 (`+994501234567`).

    Accepted as typed: `+994 50 123 45 67`, `00994501234567`, `050 123 45 67`, `501234567`.
    """
    compact = _compact(value).replace("(", "").replace(")", "")
    match = _PHONE_INPUT.match(compact)
    if not match:
        raise InvalidIdentifier(
            _("Enter a mobile number like 050 123 45 67 or +994 50 123 45 67."),
            code="phone_format",
        )
    nsn = match.group(1)
    if not MOBILE_NSN_PATTERN.match(nsn):
        raise InvalidIdentifier(
            _(
                "This is not an Azerbaijani mobile number. Mobile numbers start with 010, 050, "
                "051, 055, 060, 070, 077 or 099."
            ),
            code="phone_not_mobile",
        )
    return f"+{COUNTRY_CALLING_CODE}{nsn}"


# --- IBAN -----------------------------------------------------------------------------------
IBAN_PATTERN = re.compile(r"^AZ\d{2}[A-Z]{4}[0-9A-Z]{20}$")


def normalize_iban(value: object) -> str:
    """An Azerbaijani IBAN: `AZ` + 2 check digits + 4-letter bank code + 20 characters (28)."""
    iban = _compact(value)
    if not IBAN_PATTERN.match(iban):
        raise InvalidIdentifier(
            _(
                "An Azerbaijani IBAN has 28 characters: AZ, 2 digits, a 4-letter bank code and "
                "20 letters or digits."
            ),
            code="iban_format",
        )
    try:
        stdnum_iban.validate(iban)
    except InvalidChecksum:
        raise InvalidIdentifier(
            _("This IBAN is not valid: its check digits do not match. Check for a typing error."),
            code="iban_checksum",
        ) from None
    except StdnumError:
        raise InvalidIdentifier(_("This IBAN is not valid."), code="iban_format") from None
    return iban


def iban_with_check_digits(bank_code: str, account: str) -> str:
    """Build a valid Azerbaijani IBAN for a bank code and a 20-character account (ISO 13616)."""
    return "AZ" + stdnum_iban.calc_check_digits("AZ00" + bank_code + account) + bank_code + account
