"""Verification codes (yoxlama kodu): 75 random bits in Crockford base32, stored only as a hash.

Fifteen characters from an alphabet without I, L, O and U, printed in three groups of five
(`7KQ2M-X9D4R-0TZHB`). Typing is forgiving: case, spaces and dashes are ignored, and O/I/L are
read as 0/1/1. The database keeps the SHA-256 of the normalised code under a unique index, so a
lookup is one indexed equality on a digest: its time does not depend on how much of a guessed
code is right, and a copy of the table does not reveal any code.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
LENGTH = 15  # 15 × 5 = 75 bits
GROUP = 5
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def code_new() -> str:
    """A fresh random code, formatted for print."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return code_format(raw)


def code_format(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def code_normalise(typed: str) -> str | None:
    """The canonical form of a typed or scanned code, or None when it cannot be one."""
    cleaned = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def code_digest(typed: str) -> str | None:
    """The stored digest of a code, or None for something that cannot be a code."""
    canonical = code_normalise(typed)
    if canonical is None:
        return None
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
