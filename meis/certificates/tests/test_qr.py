"""The QR code's data mask chosen in numpy: the same symbol as segno's own choice, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import segno
from segno.encoder import mask_scores

from meis.certificates.codes import code_new
from meis.certificates.qr import (
    data_masks,
    mask_candidates,
    modules,
    penalty_n1,
    penalty_n2,
    penalty_n3,
    penalty_n4,
    qr_code,
    reserved_map,
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


def test_the_chosen_mask_is_segnos_for_500_verification_codes():
    for _ in range(500):
        url = qr_url(code_new())
        ours, segnos = qr_code(url), segno.make_qr(url, error="m")
        assert (ours.mask, ours.matrix) == (segnos.mask, segnos.matrix), url


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
@pytest.mark.parametrize("content", CONTENTS)
def test_the_symbol_is_segnos_automatic_symbol(content, error):
    assert qr_code(content, error=error).matrix == segno.make_qr(content, error=error).matrix


def test_the_rendered_svg_is_unchanged():
    expected = segno.make_qr(OUR_ADDRESS, error="m").svg_inline(border=2, dark="#0b0c0c")
    assert qr_svg(OUR_ADDRESS) == expected


def test_candidates_need_the_mask_0_symbol():
    with pytest.raises(ValueError, match="mask=0"):
        mask_candidates(segno.make_qr(OUR_ADDRESS, error="m", mask=3))
