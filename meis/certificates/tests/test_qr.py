"""The QR code's data mask chosen, the symbol finished and drawn in numpy: the same symbol as
segno's own, bit for bit, and an SVG that draws exactly its dark modules."""

from __future__ import annotations

import re

import numpy as np
import pytest
import segno
from segno.encoder import mask_scores

from meis.certificates.codes import code_new
from meis.certificates.qr import (
    FORMAT_GENERATOR,
    VERSION_GENERATOR,
    bch_code,
    dark_runs,
    data_masks,
    format_bits,
    information_write,
    mask_candidates,
    modules,
    penalty_n1,
    penalty_n2,
    penalty_n3,
    penalty_n4,
    qr_code,
    reserved_map,
    svg,
    version_bits,
)
from meis.certificates.rendering import qr_svg, qr_url

OUR_ADDRESS = "HTTPS://E-SOSIAL.GOV.AZ/V/7KQ2M-X9D4R-0TZHB"  # alphanumeric, version 3
CONTENTS = [
    "HTTPS://A.AZ",  # version 1: no alignment pattern
    OUR_ADDRESS,
    "https://e-sosial.gov.az/verify/7kq2m-x9d4r-0tzhb/",  # byte mode
    "https://e-sosial.gov.az/verify/" + "7kq2m-x9d4r-0tzhb/" * 7,  # 157 bytes: version 9
    "https://e-sosial.gov.az/arayis?" + "q=yoxlama&" * 60,  # version 20
]


def rebuilt(base, mask):
    masks = data_masks(base.version)
    return modules(base) ^ masks[0] ^ masks[mask]


def segno_scores(symbol):
    size = symbol.shape[0]
    return mask_scores(tuple(bytearray(row.astype(np.uint8)) for row in symbol), size, size)


def our_scores(symbols):
    rules = (penalty_n1, penalty_n2, penalty_n3, penalty_n4)
    return list(zip(*(rule(symbols).tolist() for rule in rules), strict=True))


def test_the_contents_cover_small_and_large_versions():
    versions = [segno.make_qr(content, error="m").version for content in CONTENTS]
    assert versions == [1, 3, 4, 9, 20]


@pytest.mark.parametrize("mask", range(8))
@pytest.mark.parametrize("content", CONTENTS)
def test_each_mask_rebuilt_from_mask_0_is_segnos_symbol_outside_format_and_version_info(
    content, mask
):
    base = segno.make_qr(content, error="m", mask=0)
    expected = modules(segno.make_qr(content, error="m", mask=mask))
    outside = ~reserved_map(base.version)
    assert (rebuilt(base, mask) == expected)[outside].all()


@pytest.mark.parametrize("version", range(1, 41))
def test_the_function_patterns_are_right_for_every_version(version):
    base = segno.make_qr("A", version=version, mask=0)
    outside = ~reserved_map(version)
    for mask in range(1, 8):
        expected = modules(segno.make_qr("A", version=version, mask=mask))
        assert (rebuilt(base, mask) == expected)[outside].all(), mask


@pytest.mark.parametrize("version", range(1, 41))
def test_the_reserved_areas_are_format_info_the_dark_module_and_version_info(version):
    format_info, dark_module, version_info = 2 * 15, 1, 2 * 18
    expected = format_info + dark_module + (version_info if version >= 7 else 0)
    assert reserved_map(version).sum() == expected


def test_the_candidates_are_scored_as_segno_scores_them():
    for content in CONTENTS:
        candidates = mask_candidates(segno.make_qr(content, error="m", mask=0))
        assert our_scores(candidates) == [segno_scores(symbol) for symbol in candidates]


def test_the_penalties_match_segno_on_matrices_full_of_finder_like_patterns():
    rng = np.random.default_rng(18004)
    pieces = ["1011101", "0000", "101", "1", "0", "00001011101", "10111010000"]
    for size in (21, 25, 45, 57):
        rows = []
        for _ in range(size):
            row = "".join(rng.choice(pieces, size=size))[:size]
            rows.append([bit == "1" for bit in row])
        symbol = np.array(rows)
        symbols = np.stack([symbol, symbol.T, ~symbol, rng.random((size, size)) < 0.43])
        assert our_scores(symbols) == [segno_scores(s) for s in symbols]


def same_symbol(ours, segnos):
    facts = (ours.version, ours.error, ours.mask) == (segnos.version, segnos.error, segnos.mask)
    return facts and np.array_equal(ours.matrix, modules(segnos))


def test_the_symbol_is_segnos_automatic_symbol_for_500_verification_codes():
    for _ in range(500):
        url = qr_url(code_new())
        assert same_symbol(qr_code(url), segno.make_qr(url, error="m")), url


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
@pytest.mark.parametrize("content", CONTENTS)
def test_the_symbol_is_segnos_automatic_symbol(content, error):
    assert same_symbol(qr_code(content, error=error), segno.make_qr(content, error=error))


def test_the_symbol_keeps_the_error_level_segno_raised():
    symbol = qr_code("HTTPS://A.AZ", error="l")  # Q fits version 1 as well
    assert (symbol.version, symbol.error) == (1, "Q")


def test_the_symbol_is_read_only():
    with pytest.raises(ValueError, match="read-only"):
        qr_code(OUR_ADDRESS).matrix[0, 0] = False


@pytest.mark.parametrize("version", range(1, 41))
def test_format_and_version_information_are_written_where_segno_writes_them(version):
    mask, error = version % 8, "LMQH"[version % 4]
    base = segno.make_qr("A", version=version, error=error, mask=0, boost_error=False)
    expected = segno.make_qr("A", version=version, error=error, mask=mask, boost_error=False)
    matrix = rebuilt(base, mask) & ~reserved_map(version)
    information_write(matrix, version=version, error=error, mask=mask)
    assert np.array_equal(matrix, modules(expected))


def test_bch_code_appends_the_remainder_of_the_generator_polynomial():
    assert bch_code(0b00101, FORMAT_GENERATOR) == 0b001010011011100  # ISO 18004 Annex C
    assert bch_code(0, FORMAT_GENERATOR) == 0
    assert bch_code(7, VERSION_GENERATOR) == 0b000111110010010100  # Annex D
    assert bch_code(0b1, 0b111) == 0b111  # x^2 = x + 1 mod x^2 + x + 1


@pytest.mark.parametrize(
    ("error", "mask", "bits"),
    [
        ("M", 5, "100000011001110"),  # ISO/IEC 18004:2015 Annex C, the worked example
        ("L", 0, "111011111000100"),  # Table C.1
        ("M", 0, "101010000010010"),
        ("Q", 0, "011010101011111"),
        ("H", 0, "001011010001001"),
        ("h", 7, "000100000111011"),
    ],
)
def test_the_format_information_is_the_standards(error, mask, bits):
    assert format_bits(error, mask) == int(bits, 2)


@pytest.mark.parametrize(
    ("version", "bits"),
    [
        (7, "000111110010010100"),  # ISO/IEC 18004:2015 Annex D, Table D.1
        (8, "001000010110111100"),
        (21, "010101011010000011"),
        (40, "101000110001101001"),
    ],
)
def test_the_version_information_is_the_standards(version, bits):
    assert version_bits(version) == int(bits, 2)


SQUARE_SVG = re.compile(
    r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 (\d+) \1" width="\1" height="\1">'
    r'<path stroke="#0b0c0c" d="((?:M\d+ \d+\.5h\d+)*)"/></svg>'
)


def drawn(picture):
    """The modules the SVG's one path strokes, quiet zone included, each stroke checked to
    cover whole modules and to overlap no other."""
    match = SQUARE_SVG.fullmatch(picture)
    assert match, picture[:200]
    side = int(match[1])
    strokes = re.findall(r"M(\d+) (\d+)\.5h(\d+)", match[2])
    canvas = np.zeros((side, side), dtype=np.int64)
    for x, y, length in ((int(x), int(y), int(n)) for x, y, n in strokes):
        canvas[y, x : x + length] += 1
    assert canvas.max() <= 1
    return canvas.astype(np.bool_)


@pytest.mark.parametrize("content", CONTENTS)
def test_the_svg_draws_exactly_the_dark_modules_inside_a_quiet_zone_of_two(content):
    symbol = qr_code(content)
    picture = svg(symbol.matrix, border=2, dark="#0b0c0c")
    squares = drawn(picture)
    assert np.array_equal(squares, np.pad(symbol.matrix, 2))
    assert squares.sum() == symbol.matrix.sum()


def test_the_runs_are_the_rows_dark_stretches():
    matrix = np.array([[1, 1, 0, 1], [0, 0, 0, 0], [0, 1, 1, 1]], dtype=np.bool_)
    rows, starts, lengths = dark_runs(matrix)
    assert list(zip(rows.tolist(), starts.tolist(), lengths.tolist(), strict=True)) == [
        (0, 0, 2),
        (0, 3, 1),
        (2, 1, 3),
    ]


def test_the_certificates_svg_is_the_symbol_of_the_address():
    picture = qr_svg(OUR_ADDRESS)
    assert picture.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 33 33"')
    expected = segno.make_qr(OUR_ADDRESS, error="m")  # version 3: 29 modules
    assert np.array_equal(drawn(picture), np.pad(modules(expected), 2))


def test_candidates_need_the_mask_0_symbol():
    with pytest.raises(ValueError, match="mask=0"):
        mask_candidates(segno.make_qr(OUR_ADDRESS, error="m", mask=3))
