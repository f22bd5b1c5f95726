"""The certificate's QR code: segno encodes the data, numpy chooses the mask and finishes it.

ISO/IEC 18004:2015 §7.8.3 requires the data mask (of the eight in §7.8.2) whose symbol scores
the lowest penalty. segno finds it by building and scoring all eight masked symbols in pure
Python: about 2.5 ms for our version-3 certificate address. Certificates must be issued at 150
a second on two cores, so `qr_code` asks segno only for the mask-0 symbol (its data encoded,
error-corrected and placed), scores the eight masks on numpy arrays and writes the format and
version information of the winner itself, instead of asking segno a second time (0.5 ms).
`svg` then draws the symbol in numpy, where segno's writer builds its path in pure Python.

The scores reproduce segno's own (`segno.encoder.mask_scores`) exactly, so `qr_code` returns
the very symbol `segno.make_qr(content, error=error)` returns. Where segno reads the standard
its own way, its way is followed and noted below: the symbol is scored before the format and
version information are written, with those areas and the dark module light.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import segno

Modules = npt.NDArray[np.bool_]
Scores = npt.NDArray[np.int64]
Positions = npt.NDArray[np.intp]

# ISO/IEC 18004:2015 §7.8.3.1, Table 11: the penalty weights.
N1, N2, N3, N4 = 3, 3, 40, 10
FINDER_LIKE = np.array([1, 0, 1, 1, 1, 0, 1], dtype=np.bool_)  # dark:light:dark×3:light:dark

# ISO/IEC 18004:2015 §7.9.1, Table 12: the two bits naming each error correction level.
ERROR_BITS = {"L": 0b01, "M": 0b00, "Q": 0b11, "H": 0b10}
FORMAT_GENERATOR = 0b101_0011_0111  # §7.9.1: G(x) = x^10 + x^8 + x^5 + x^4 + x^2 + x + 1
FORMAT_XOR = 0b101_0100_0001_0010  # §7.9.1: so that no format information is all light
VERSION_GENERATOR = 0b1_1111_0010_0101  # §7.10: G(x) = x^12 + x^11 + ... + x^5 + x^2 + 1


@dataclass(frozen=True, eq=False)
class QrSymbol:
    """A finished QR code symbol: `matrix` holds its modules (True is dark, read-only), without
    the quiet zone; `error` is the level segno chose (it raises the one asked for when that
    fits the same version)."""

    matrix: Modules
    version: int
    error: str
    mask: int


def qr_code(content: str, error: str = "m") -> QrSymbol:
    """The QR code (never a Micro QR) that `segno.make_qr(content, error=error)` makes, faster."""
    base = segno.make_qr(content, error=error, mask=0)
    candidates = mask_candidates(base)
    mask = mask_best(candidates)
    version = int(base.version)  # mask_candidates refuses a Micro QR, whose version is a str
    matrix = candidates[mask].copy()
    information_write(matrix, version=version, error=base.error, mask=mask)
    return QrSymbol(matrix=_frozen(matrix), version=version, error=base.error, mask=mask)


def mask_best(candidates: Modules) -> int:
    """The first mask with the lowest penalty (segno replaces its choice only on a lower one)."""
    return int(np.argmin(penalties(candidates)))


def penalties(symbols: Modules) -> Scores:
    """The total penalty of each of the symbols, shape (masks, size, size)."""
    return penalty_n1(symbols) + penalty_n2(symbols) + penalty_n3(symbols) + penalty_n4(symbols)


def modules(code: segno.QRCode) -> Modules:
    """The symbol's modules (True is dark), without the quiet zone."""
    size = len(code.matrix)
    flat = np.frombuffer(b"".join(code.matrix), dtype=np.uint8)
    return flat.astype(np.bool_).reshape(size, size)


def mask_candidates(code: segno.QRCode) -> Modules:
    """The symbol under each of the eight masks, as segno scores it: format and version areas
    and the dark module light, since segno writes them only after choosing the mask."""
    if code.mask != 0 or not isinstance(code.version, int):
        raise ValueError("mask_candidates needs a QR code (not Micro QR) made with mask=0")
    masks = data_masks(code.version)
    unmasked = (modules(code) & ~reserved_map(code.version)) ^ masks[0]
    candidates: Modules = unmasked[np.newaxis] ^ masks
    return candidates


# ISO/IEC 18004:2015 §7.8.3.1, Table 11, N1: a run of five or more modules of one colour in a
# row or column scores N1 + (length - 5). A run of length L >= 5 holds L - 4 windows of five
# equal modules; the one among them that starts the run adds the remaining 2.
def penalty_n1(symbols: Modules) -> Scores:
    lines = _rows_and_columns(symbols)
    same = lines[..., 1:] == lines[..., :-1]
    five = same[..., :-3] & same[..., 1:-2] & same[..., 2:-1] & same[..., 3:]
    run_start = five.copy()
    run_start[..., 1:] &= ~same[..., :-4]
    return _per_symbol(five) + 2 * _per_symbol(run_start)


# ISO/IEC 18004:2015 §7.8.3.1, Table 11, N2: every 2×2 block of one colour scores N2 (a larger
# m×n block thus scores N2 × (m - 1) × (n - 1), counted as overlapping 2×2 blocks).
def penalty_n2(symbols: Modules) -> Scores:
    top_left = symbols[:, :-1, :-1]
    block = (
        (top_left == symbols[:, :-1, 1:])
        & (top_left == symbols[:, 1:, :-1])
        & (top_left == symbols[:, 1:, 1:])
    )
    return N2 * _per_symbol(block)


# ISO/IEC 18004:2015 §7.8.3.1, Table 11, N3: the finder-like pattern dark:light:dark:light:dark
# in the ratio 1:1:3:1:1, in a row or column, with four light modules on one side, scores N3.
# As in segno: a side cut short by the symbol's edge counts as light (the quiet zone is light),
# and after a pattern that scores, the search resumes behind it, so a pattern overlapping it
# (starting 4 or 6 modules on: the only overlaps 1011101 allows) does not score.
def penalty_n3(symbols: Modules) -> Scores:
    lines = _rows_and_columns(symbols)
    masks, count, size = lines.shape
    starts = size - len(FINDER_LIKE) + 1
    found = np.ones((masks, count, starts), dtype=np.bool_)
    for offset, dark in enumerate(FINDER_LIKE):
        found &= lines[..., offset : offset + starts] == dark
    padded = np.zeros((masks, count, size + 8), dtype=np.bool_)  # in the light quiet zone
    padded[..., 4:-4] = lines
    # dark_before[..., k]: a dark module among the four before module k of the line
    dark_before = padded[..., :-3] | padded[..., 1:-2] | padded[..., 2:-1] | padded[..., 3:]
    light_before = ~dark_before[..., :starts]
    light_after = ~dark_before[..., len(FINDER_LIKE) + 4 :]  # before module start + 7 + 4
    scoring = found & (light_before | light_after)
    overlapping = found & (_shifted(found, 4) | _shifted(found, 6))
    scoring_by_line = scoring.reshape(masks * count, starts)
    for place in np.flatnonzero(overlapping).tolist():  # few; settled left to right
        line, start = divmod(place, starts)
        earlier = scoring_by_line[line]
        if (start >= 4 and earlier[start - 4]) or (start >= 6 and earlier[start - 6]):
            earlier[start] = False
    return N3 * _per_symbol(scoring)


# ISO/IEC 18004:2015 §7.8.3.1, Table 11, N4: N4 for every full 5 % the share of dark modules
# lies away from 50 %; computed in floating point exactly as segno does.
def penalty_n4(symbols: Modules) -> Scores:
    size = symbols.shape[-1]
    share = _per_symbol(symbols) / (size * size)
    penalty: Scores = (N4 * np.trunc(np.abs(share * 100 - 50) / 5)).astype(np.int64)
    return penalty


def _rows_and_columns(symbols: Modules) -> Modules:
    """Each symbol's rows followed by its columns: shape (masks, 2 × size, size)."""
    return np.concatenate([symbols, symbols.transpose(0, 2, 1)], axis=1)


def _shifted(flags: Modules, by: int) -> Modules:
    """The flags moved `by` modules along each line: position p holds flags[p - by]."""
    moved = np.zeros_like(flags)
    moved[..., by:] = flags[..., :-by]
    return moved


def _per_symbol(flags: Modules) -> Scores:
    counts: Scores = flags.reshape(flags.shape[0], -1).sum(axis=1, dtype=np.int64)
    return counts


def _frozen(modules: Modules) -> Modules:
    modules.flags.writeable = False  # shared through the caches below
    return modules


@functools.cache
def data_masks(version: int) -> Modules:
    """The eight mask patterns of ISO/IEC 18004:2015 §7.8.2, Table 10, on the data region only."""
    size = _size(version)
    i, j = np.indices((size, size))
    patterns = np.stack(
        [
            (i + j) % 2 == 0,
            i % 2 == 0,
            j % 3 == 0,
            (i + j) % 3 == 0,
            (i // 2 + j // 3) % 2 == 0,
            (i * j) % 2 + (i * j) % 3 == 0,
            ((i * j) % 2 + (i * j) % 3) % 2 == 0,
            ((i + j) % 2 + (i * j) % 3) % 2 == 0,
        ]
    )
    return _frozen(patterns & ~function_map(version))


@functools.cache
def function_map(version: int) -> Modules:
    """The modules outside the data region: function patterns (ISO/IEC 18004:2015 §6.3) and
    the areas reserved for format and version information."""
    size = _size(version)
    function = reserved_map(version).copy()
    for top, left in ((0, 0), (0, size - 8), (size - 8, 0)):
        function[top : top + 8, left : left + 8] = True  # §6.3.3 finder, §6.3.4 separator
    function[6, :] = function[:, 6] = True  # §6.3.5 timing patterns
    for row, column in _alignment_centres(version):  # §6.3.6 alignment patterns
        function[row - 2 : row + 3, column - 2 : column + 3] = True
    return _frozen(function)


@functools.cache
def reserved_map(version: int) -> Modules:
    """The modules scored as light and filled in after choosing the mask (as segno does):
    format information (§7.9.1), the dark module beside it, and version information (§7.10)."""
    size = _size(version)
    reserved = np.zeros((size, size), dtype=np.bool_)
    reserved[8, :9] = reserved[:9, 8] = True
    reserved[8, size - 8 :] = reserved[size - 8 :, 8] = True  # the dark module is at [-8, 8]
    reserved[6, 8] = reserved[8, 6] = False  # timing pattern
    if version >= 7:
        reserved[:6, size - 11 : size - 8] = reserved[size - 11 : size - 8, :6] = True
    return _frozen(reserved)


def _alignment_centres(version: int) -> list[tuple[int, int]]:
    """ISO/IEC 18004:2015 Annex E, Table E.1: rows and columns from 6 to size - 7, evenly
    spaced from the far end by an even step, except the one that would overlap a finder."""
    if version == 1:
        return []
    last = _size(version) - 7
    count = version // 7 + 2
    step = -(-(last - 6) // (count - 1))  # rounded up ...
    step += step % 2  # ... to even
    if version == 32:
        step = 26  # Table E.1 departs from the rule here
    positions = [6] + [last - step * k for k in reversed(range(count - 1))]
    corners = {(6, 6), (6, last), (last, 6)}
    return [(r, c) for r in positions for c in positions if (r, c) not in corners]


def _size(version: int) -> int:
    return 4 * version + 17  # ISO/IEC 18004:2015: 21 × 21 modules at version 1, 4 more a version


def bch_code(data: int, generator: int) -> int:
    """`data` followed by its BCH check bits: the remainder of data × x^k divided by the
    generator polynomial of degree k (ISO/IEC 18004:2015 §7.9.1 and §7.10, Annexes C and D),
    polynomials over GF(2) written as bits, highest power first."""
    degree = generator.bit_length() - 1
    remainder = data << degree
    while remainder.bit_length() > degree:
        remainder ^= generator << (remainder.bit_length() - 1 - degree)
    return data << degree | remainder


@functools.cache
def format_bits(error: str, mask: int) -> int:
    """The 15 bits of format information (ISO/IEC 18004:2015 §7.9.1): the error correction level
    and the mask reference, BCH(15,5) coded, XORed with 101010000010010."""
    data = ERROR_BITS[error.upper()] << 3 | mask
    return bch_code(data, FORMAT_GENERATOR) ^ FORMAT_XOR


@functools.cache
def version_bits(version: int) -> int:
    """The 18 bits of version information (ISO/IEC 18004:2015 §7.10): the version, BCH(18,6)
    coded. Symbols of versions 1 to 6 carry none."""
    return bch_code(version, VERSION_GENERATOR)


@functools.cache
def format_positions(version: int) -> tuple[Positions, Positions]:
    """Rows and columns of both copies of the format information, bit 0 (least significant)
    first (ISO/IEC 18004:2015 §7.9.1, Figure 25). The first copy runs down column 8 beside
    the upper left finder, skipping the timing pattern, and on leftwards along row 8; the
    second runs leftwards along row 8 from the right edge, then down column 8 to the bottom."""
    size = _size(version)
    down = [(row, 8) for row in (0, 1, 2, 3, 4, 5, 7, 8)]  # bits 0 to 7
    left = [(8, column) for column in (7, 5, 4, 3, 2, 1, 0)]  # bits 8 to 14
    right_edge = [(8, size - 1 - bit) for bit in range(8)]  # bits 0 to 7
    bottom = [(size - 7 + bit, 8) for bit in range(7)]  # bits 8 to 14
    rows, columns = np.array(down + left + right_edge + bottom).T
    return _frozen_positions(rows), _frozen_positions(columns)


@functools.cache
def version_positions(version: int) -> tuple[Positions, Positions]:
    """Rows and columns of both 6 × 3 blocks of version information, bit 0 first (ISO/IEC
    18004:2015 §7.10, Figure 27): above the lower left finder, bit k at row size - 11 + k % 3,
    column k // 3, and its mirror image left of the upper right finder."""
    size = _size(version)
    bit = np.arange(18)
    near, far = bit // 3, size - 11 + bit % 3
    rows, columns = np.concatenate([far, near]), np.concatenate([near, far])
    return _frozen_positions(rows), _frozen_positions(columns)


def information_write(matrix: Modules, *, version: int, error: str, mask: int) -> None:
    """Write into the masked symbol its format information, both copies, and the dark module
    (ISO/IEC 18004:2015 §7.9.1) and, from version 7, its version information (§7.10)."""
    matrix[format_positions(version)] = np.tile(_bits(format_bits(error, mask), 15), 2)
    matrix[_size(version) - 8, 8] = True  # the dark module, always dark
    if version >= 7:
        matrix[version_positions(version)] = np.tile(_bits(version_bits(version), 18), 2)


def _bits(value: int, count: int) -> Modules:
    """The `count` lowest bits of `value`, least significant first, True for 1 (dark)."""
    return ((value >> np.arange(count)) & 1).astype(np.bool_)


def _frozen_positions(positions: Positions) -> Positions:
    positions.flags.writeable = False  # shared through the caches above
    return positions


def svg(matrix: Modules, *, border: int, dark: str) -> str:
    """The symbol as inline SVG, one user unit a module, with a light quiet zone `border`
    modules wide (ISO/IEC 18004:2015 asks for 4; on the certificate the white page widens it).

    One path draws each row's runs of dark modules as horizontal strokes one unit wide, centred
    half a unit below the row's top edge, so each run covers whole modules exactly."""
    rows, starts, lengths = dark_runs(matrix)
    side = matrix.shape[0] + 2 * border
    runs = zip((rows + border).tolist(), (starts + border).tolist(), lengths.tolist(), strict=True)
    path = "".join([f"M{x} {y}.5h{length}" for y, x, length in runs])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}"'
        f' width="{side}" height="{side}"><path stroke="{dark}" d="{path}"/></svg>'
    )


def dark_runs(matrix: Modules) -> tuple[Positions, Positions, Positions]:
    """Rows, first columns and lengths of the runs of dark modules, row by row, left to right."""
    edged = np.zeros((matrix.shape[0], matrix.shape[1] + 2), dtype=np.int8)
    edged[:, 1:-1] = matrix
    steps = np.diff(edged, axis=1)  # at column c: 1 where a run starts, -1 where one has ended
    rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    return rows, starts, ends - starts
