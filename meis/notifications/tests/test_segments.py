"""SMS length: GSM-7 160/153, UCS-2 70/67; Azerbaijani letters force UCS-2."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meis.notifications.segments import GSM7_BASIC, GSM7_EXTENSION, sms_length

gsm_text = st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION), max_size=700)
any_text = st.text(max_size=400)


@pytest.mark.parametrize(("length", "segments"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3)])
def test_gsm_text_fills_160_then_153_per_segment(length, segments):
    result = sms_length("a" * length)

    assert (result.encoding, result.units, result.segments) == ("GSM-7", length, segments)


@pytest.mark.parametrize(("length", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_text_fills_70_then_67_per_segment(length, segments):
    result = sms_length("ə" * length)

    assert (result.encoding, result.units, result.segments) == ("UCS-2", length, segments)


@pytest.mark.parametrize("letter", ["ə", "Ə", "ğ", "Ğ", "ı", "İ", "ş", "Ş"])
def test_an_azerbaijani_letter_forces_ucs2(letter):
    assert sms_length(f"Salam {letter}").encoding == "UCS-2"


def test_letters_azerbaijani_shares_with_gsm_keep_gsm():
    assert sms_length("Ödü ü ö Ü Ö Ç").encoding == "GSM-7"


def test_extension_characters_take_two_septets():
    assert sms_length("€[]").units == 6


def test_empty_text_has_no_segments():
    assert sms_length("").segments == 0


@given(gsm_text)
def test_gsm_segments_hold_the_whole_text_and_no_more_than_needed(text):
    result = sms_length(text)
    capacity = 160 if result.segments <= 1 else 153

    assert result.encoding == "GSM-7"
    assert result.segments * capacity >= result.units
    assert (result.segments - 1) * capacity < max(result.units, 1)


@given(any_text, any_text)
def test_a_longer_text_never_has_fewer_segments(text, more):
    assert sms_length(text + more).segments >= sms_length(text).segments


@given(any_text)
def test_ucs2_units_are_utf16_code_units(text):
    result = sms_length(text + "ə")

    assert result.encoding == "UCS-2"
    assert result.units == len((text + "ə").encode("utf-16-le")) // 2
    assert result.segments == (1 if result.units <= 70 else -(-result.units // 67))
