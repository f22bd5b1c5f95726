"""Identifiers unique by construction: FİNs, card numbers, phone numbers and VÖENs.

Each is the image of a running index under a fixed keyed bijection of its space (a Feistel
network with cycle walking), so no set of seen values is kept and no retry is needed. The keys do
not depend on the seed, and `Counters` continue every index after the rows already present, so
appending more people can never produce a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import polars as pl

from meis.core.identifiers import FIN_ALPHABET, VOEN_WEIGHTS

from .base import GeneratorError, IntArray

# Mobile prefixes with 7 subscriber digits (docs/domain.md §1); 99x has a longer prefix, left out.
PHONE_PREFIXES = ("50", "51", "55", "70", "77", "10", "60")
DIGITS = "0123456789"


@dataclass(frozen=True)
class Permutation:
    """A bijection of [0, size) onto itself: a 4-round Feistel network with cycle walking."""

    size: int
    key: int
    half_bits: int = field(init=False)

    def __post_init__(self) -> None:
        bits = max(2, (self.size - 1).bit_length())
        object.__setattr__(self, "half_bits", (bits + 1) // 2)

    def _rounds(self, x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
        h = np.uint64(self.half_bits)
        mask = np.uint64((1 << self.half_bits) - 1)
        left, right = x >> h, x & mask
        for round_no in range(4):
            k = np.uint64((self.key * (round_no + 1) * 0x9E3779B1) & 0xFFFFFFFF)
            mixed = ((right ^ k) * np.uint64(0x85EBCA6B)) & np.uint64(0xFFFFFFFFFF)
            mixed ^= mixed >> np.uint64(13)
            mixed = (mixed * np.uint64(0xC2B2AE35)) >> np.uint64(7)
            left, right = right, left ^ (mixed & mask)
        return (left << h) | right

    def __call__(self, index: IntArray) -> IntArray:
        if index.size and (int(index.min()) < 0 or int(index.max()) >= self.size):
            raise GeneratorError(f"identifier space of {self.size:,} values is exhausted")
        y = self._rounds(index.astype(np.uint64))
        outside = y >= np.uint64(self.size)
        while outside.any():
            y[outside] = self._rounds(y[outside])
            outside = y >= np.uint64(self.size)
        return y.astype(np.int64)


FIN_SPACE = len(FIN_ALPHABET) ** 7
FIN_PERMUTATION = Permutation(FIN_SPACE, key=0x5EED_F1A)
OLD_CARD_PERMUTATION = Permutation(10**8, key=0xA2E_0001)
BIOMETRIC_CARD_PERMUTATION = Permutation(10**7, key=0xAA_0002)
PHONE_PERMUTATION = Permutation(len(PHONE_PREFIXES) * 10**7, key=0x994)
# VÖEN: the first 7 digits (TT + 5 serial digits, TT 01..99); the 8th is chosen for the checksum.
VOEN_PREFIX_PERMUTATION = Permutation(99 * 10**5, key=0x40E)


@dataclass
class Counters:
    """Where each running index starts: after the rows already in the database."""

    person: int = 0
    household: int = 0
    membership: int = 0
    document: int = 0
    old_card: int = 0
    biometric_card: int = 0
    employer: int = 0


def encode(values: IntArray, *, alphabet: str, width: int, prefix: str = "") -> pl.Series:
    """Fixed-width strings of `values` in base len(alphabet), after a constant prefix.

    Built as one ASCII buffer in numpy and split by Polars: no Python object per row.
    """
    n, size = values.size, len(prefix) + width
    letters = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)
    buffer = np.empty((n, size + 1), dtype=np.uint8)
    buffer[:, size] = ord("\n")
    if prefix:
        buffer[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    rest = values.astype(np.int64)
    for position in range(size - 1, len(prefix) - 1, -1):
        buffer[:, position] = letters[rest % letters.size]
        rest = rest // letters.size
    text = buffer.tobytes().decode("ascii")
    return pl.Series([text]).str.split("\n").explode().slice(0, n)


def voen_check_digits(first_eight: IntArray) -> IntArray:
    """Vectorised `meis.core.identifiers.voen_check_digit`: -1 where the remainder is 10."""
    digits = np.stack([(first_eight // 10 ** (7 - i)) % 10 for i in range(8)], axis=1)
    remainder = (digits @ np.array(VOEN_WEIGHTS, dtype=np.int64)) % 11
    return np.where(remainder == 10, -1, remainder)
