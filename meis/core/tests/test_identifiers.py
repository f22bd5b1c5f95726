"""Identifiers: the examples from docs/domain.md §1 plus properties over generated values."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from meis.core.identifiers import (
    FIN_ALPHABET,
    MAX_INPUT_LENGTH,
    DocumentGeneration,
    InvalidIdentifier,
    iban_with_check_digits,
    normalize_document_number,
    normalize_fin,
    normalize_iban,
    normalize_mobile_phone,
    normalize_voen,
    voen_check_digit,
)

DIGITS = "0123456789"
fins = st.text(alphabet=FIN_ALPHABET, min_size=7, max_size=7)


def _code(call, value):
    with pytest.raises(InvalidIdentifier) as excinfo:
        call(value)
    return excinfo.value.code


# --- FİN ---


@pytest.mark.parametrize("fin", ["94FMDDD", "5VBK5VR"])
def test_it_accepts_the_fins_from_the_domain_notes(fin):
    assert normalize_fin(fin) == fin


def test_it_normalises_case_and_spaces_in_a_fin():
    assert normalize_fin("  94fm ddd ") == "94FMDDD"


@pytest.mark.parametrize("fin", ["94FMDDI", "O4FMDDD"])
def test_it_rejects_a_fin_with_the_letters_i_or_o(fin):
    assert _code(normalize_fin, fin) == "fin_format"


def test_it_rejects_a_fin_with_azerbaijani_letters():
    assert _code(normalize_fin, "94FMDDƏ") == "fin_format"


@pytest.mark.parametrize("fin", ["94FMDD", "94FMDDDD", "1"])
def test_it_rejects_a_fin_of_the_wrong_length(fin):
    assert _code(normalize_fin, fin) == "fin_length"


@pytest.mark.parametrize("value", ["", "   ", None, 1234567])
def test_it_asks_for_a_value_when_the_fin_is_missing(value):
    assert _code(normalize_fin, value) == "required"


def test_it_refuses_overlong_input_before_parsing_it():
    assert _code(normalize_fin, "A" * (MAX_INPUT_LENGTH + 1)) == "too_long"


@given(fins)
def test_every_fin_from_the_alphabet_is_accepted(fin):
    assert normalize_fin(fin.lower()) == fin


@given(st.text(max_size=12))
def test_a_fin_is_either_normalised_or_refused_with_a_code(text):
    try:
        fin = normalize_fin(text)
    except InvalidIdentifier as error:
        refusal_code = error.code
        assert refusal_code in {"required", "too_long", "fin_length", "fin_format"}  # noqa: PT017
        return
    assert len(fin) == 7
    assert set(fin) <= set(FIN_ALPHABET)


# --- Identity documents ---


def test_it_accepts_an_old_generation_identity_card():
    document = normalize_document_number("aze 12345678")
    assert document.number == "AZE12345678"
    assert document.generation == DocumentGeneration.OLD_ID_CARD


def test_it_accepts_a_biometric_identity_card():
    document = normalize_document_number("AA-1234567")
    assert document.number == "AA1234567"
    assert document.generation == DocumentGeneration.BIOMETRIC_ID_CARD


@pytest.mark.parametrize(
    "number", ["AZE1234567", "AZE123456789", "AA12345678", "AB1234567", "C12345678", "1234567"]
)
def test_it_rejects_a_malformed_identity_card_number(number):
    assert _code(normalize_document_number, number) == "document_format"


@given(st.from_regex(r"\AAZE\d{8}\Z") | st.from_regex(r"\AAA\d{7}\Z"))
def test_every_number_of_either_generation_is_accepted(number):
    assert normalize_document_number(number).number == number


# --- VÖEN ---


@pytest.mark.parametrize("voen", ["1401555071", "1400057421"])
def test_it_accepts_the_voens_from_the_domain_notes(voen):
    assert normalize_voen(voen) == voen


def test_it_rejects_a_voen_with_a_wrong_check_digit():
    assert _code(normalize_voen, "1401555081") == "voen_checksum"


def test_it_rejects_a_voen_whose_last_digit_is_not_a_taxpayer_type():
    assert _code(normalize_voen, "1400057424") == "voen_type"


def test_it_restores_the_leading_zero_a_spreadsheet_dropped():
    first8 = "01234567"
    check = voen_check_digit(first8)
    assert check is not None
    full = f"{first8}{check}1"
    assert normalize_voen(full[1:]) == full


@pytest.mark.parametrize("voen", ["14015550", "14015550711", "14O1555071"])
def test_it_rejects_a_voen_that_is_not_ten_digits(voen):
    assert _code(normalize_voen, voen) == "voen_format"


@given(st.text(alphabet=DIGITS, min_size=8, max_size=8), st.sampled_from("12"))
def test_a_voen_with_its_computed_check_digit_is_accepted(first8, taxpayer_type):
    check = voen_check_digit(first8)
    if check is None:
        return  # remainder 10: no VÖEN exists with these first eight digits
    voen = f"{first8}{check}{taxpayer_type}"
    assert normalize_voen(voen) == voen


@given(st.text(alphabet=DIGITS, min_size=8, max_size=8), st.integers(1, 9))
def test_changing_the_check_digit_makes_a_voen_invalid(first8, shift):
    check = voen_check_digit(first8)
    if check is None:
        return
    wrong = (check + shift) % 10
    if wrong == check:
        return
    assert _code(normalize_voen, f"{first8}{wrong}1") == "voen_checksum"


# --- Mobile phones ---


@pytest.mark.parametrize(
    "typed",
    ["+994 50 123 45 67", "00994501234567", "050 123 45 67", "501234567", "(050) 123-45-67"],
)
def test_it_normalises_a_mobile_number_to_e164(typed):
    assert normalize_mobile_phone(typed) == "+994501234567"


@pytest.mark.parametrize("prefix", ["10", "50", "51", "55", "60", "70", "77", "992", "999"])
def test_it_accepts_every_mobile_prefix(prefix):
    national = (prefix + "1234567")[:9]
    assert normalize_mobile_phone("0" + national) == "+994" + national


@pytest.mark.parametrize("number", ["012 123 45 67", "018 123 45 67", "0991234567"])
def test_it_rejects_a_landline_or_unassigned_number(number):
    assert _code(normalize_mobile_phone, number) == "phone_not_mobile"


@pytest.mark.parametrize("number", ["+7 912 123 45 67", "05012345", "phone"])
def test_it_rejects_something_that_is_not_an_azerbaijani_phone_number(number):
    assert _code(normalize_mobile_phone, number) == "phone_format"


@given(
    st.sampled_from(["10", "50", "51", "55", "60", "70", "77"]),
    st.text(alphabet=DIGITS, min_size=7, max_size=7),
)
def test_every_mobile_number_keeps_its_digits_in_e164(prefix, subscriber):
    assert normalize_mobile_phone(f"0{prefix}{subscriber}") == f"+994{prefix}{subscriber}"


# --- IBAN ---


def test_it_accepts_a_valid_azerbaijani_iban():
    assert normalize_iban("az21 nabz 0000 0000 1370 1000 1944") == "AZ21NABZ00000000137010001944"


def test_it_rejects_an_iban_with_wrong_check_digits():
    assert _code(normalize_iban, "AZ22NABZ00000000137010001944") == "iban_checksum"


@pytest.mark.parametrize(
    "iban",
    ["AZ21NABZ0000000013701000194", "DE89370400440532013000", "AZ211ABZ00000000137010001944"],
)
def test_it_rejects_an_iban_of_the_wrong_shape(iban):
    assert _code(normalize_iban, iban) == "iban_format"


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=4),
    st.text(alphabet=DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=20, max_size=20),
)
def test_an_iban_built_with_its_check_digits_is_accepted(bank, account):
    iban = iban_with_check_digits(bank, account)
    assert normalize_iban(iban) == iban


# --- Messages in the user's language ---


@pytest.mark.parametrize(
    ("language", "fragment"),
    [("az", "FİN"), ("en", "FİN"), ("ru", "ФИН")],
)
def test_the_fin_error_is_in_the_active_language(language, fragment):
    with translation.override(language):
        with pytest.raises(InvalidIdentifier) as excinfo:
            normalize_fin("12")
        message = excinfo.value.messages[0]
    assert fragment in message


def test_the_azerbaijani_and_russian_errors_differ_from_the_english_one():
    messages = {}
    for language in ("az", "en", "ru"):
        with translation.override(language):
            with pytest.raises(InvalidIdentifier) as excinfo:
                normalize_voen("1401555081")
            messages[language] = excinfo.value.messages[0]
    assert len(set(messages.values())) == 3
