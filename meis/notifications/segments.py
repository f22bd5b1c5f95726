"""SMS length in segments: GSM-7 when every character fits, UCS-2 otherwise.

GSM 03.38: one segment holds 160 septets, a concatenated message 153 per segment; the
extension table's characters (`€`, `[`, `{`, …) take two septets. Any other character — among
them the Azerbaijani letters ə, ğ, ı, İ and ş — forces UCS-2: 70 UTF-16 code units in one
segment, 67 per segment when concatenated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

Encoding = Literal["GSM-7", "UCS-2"]

_LIMITS: dict[Encoding, tuple[int, int]] = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


@dataclass(frozen=True)
class SmsLength:
    encoding: Encoding
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


def sms_encoding(text: str) -> Encoding:
    allowed = GSM7_BASIC | GSM7_EXTENSION
    return "GSM-7" if all(ch in allowed for ch in text) else "UCS-2"


def sms_length(text: str) -> SmsLength:
    """The encoding, length in units and number of segments a gateway will bill for `text`."""
    encoding = sms_encoding(text)
    if encoding == "GSM-7":
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
    else:
        units = len(text.encode("utf-16-le")) // 2
    single, concatenated = _LIMITS[encoding]
    if units == 0:
        segments = 0
    elif units <= single:
        segments = 1
    else:
        segments = math.ceil(units / concatenated)
    return SmsLength(encoding=encoding, units=units, segments=segments)
