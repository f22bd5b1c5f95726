"""The raw-text check finds the codes and untranslated English the issue saw on az and ru pages,
and leaves alone what a person is meant to read: names, reference numbers, addresses, code."""

from __future__ import annotations

from tests.rawtext import find_raw_text, visible_text


def test_it_finds_the_codes_the_issue_saw_on_an_azerbaijani_page() -> None:
    text = (
        "Sənəd növü: identity_card\nİcazə: case.read\nRegion: lankaran_astara\n"
        "Ərizəçi: citizen-79V7533\nSxem: age_benefit"
    )

    assert find_raw_text(text, "az") == [
        "identity_card",
        "lankaran_astara",
        "age_benefit",
        "case.read",
        "citizen-79V7533",
    ]


def test_it_finds_an_internal_reference() -> None:
    assert find_raw_text("15 dekabr 2026 · award-52", "az") == ["award-52"]


def test_a_lower_case_english_word_alone_is_not_a_message() -> None:
    # "certificate" (a model's name) has a translation, but here it is part of a sentence that
    # has none yet: the translators' pass, not this check, is what finds that.
    assert find_raw_text("Are you sure you want to keep this certificate for later?", "az") == []


def test_a_capitalised_word_inside_a_sentence_is_not_a_label() -> None:
    assert find_raw_text("Documents you sent are kept for five years.", "az") == []


def test_a_capitalised_label_is_a_message() -> None:
    assert find_raw_text("Documents\nEtibarlıdır", "az") == ["Documents"]


def test_it_finds_an_upper_case_code() -> None:
    assert find_raw_text("Skan: NOT_SCANNED", "en") == ["NOT_SCANNED"]


def test_it_finds_an_english_message_that_has_an_azerbaijani_translation() -> None:
    assert find_raw_text("Ana səhifə\nAccounts and access", "az") == ["Accounts and access"]


def test_it_finds_an_english_message_with_its_placeholder_filled() -> None:
    assert find_raw_text("Pensiya: 240,00 manat a month", "ru") == ["a month"]


def test_english_is_not_an_offence_on_an_english_page() -> None:
    assert find_raw_text("Accounts and access", "en") == []


def test_a_translated_page_is_clean() -> None:
    text = "MEİS idarəetmə paneli\nKataloq, reyestr, təqvimlər və rollar\n4 dekabr 2026"

    assert find_raw_text(text, "az") == []


def test_an_english_word_inside_an_azerbaijani_word_is_not_a_match() -> None:
    assert find_raw_text("Hesablarımız", "az") == []


def test_it_leaves_alone_addresses_reference_numbers_ibans_and_file_names() -> None:
    text = (
        "Yazın: help_desk@sosial.gov.az və ya https://e-sosial.az/my_page/a.b\n"
        "Müraciət MEİS-2026-000123, IBAN AZ21NABZ00000000137010001944\n"
        "Fayl: arayis_2026.pdf, sosial.gov.az saytında, e.g. i.e."
    )

    assert find_raw_text(text, "az") == []


def test_visible_text_drops_scripts_styles_hidden_elements_and_code() -> None:
    html = (
        "<html><head><title>t_t</title><style>.a_b{}</style></head><body>"
        "<script>var case_read = 1;</script><p>Görünən <strong>mətn</strong></p>"
        "<div hidden>hidden_code</div><div style='display: none'>gone_too</div>"
        "<input type='hidden' name='csrf_token' value='x_y'><p>Kod: <code>case.read</code></p>"
        "<template><p>later_text</p></template></body></html>"
    )

    assert visible_text(html) == "Görünən mətn\nKod:"


def test_visible_text_keeps_what_a_screen_reader_reads() -> None:
    html = (
        '<img src="x.png" alt="Gerb"><a href="/" aria-label="Ana səhifə">⌂</a>'
        '<input type="submit" value="Göndər"><input name="q" placeholder="Axtarış">'
    )

    assert visible_text(html).split() == ["Gerb", "Ana", "səhifə", "⌂", "Göndər", "Axtarış"]


def test_a_code_in_an_alt_text_is_found() -> None:
    assert find_raw_text(visible_text('<img src="a.png" alt="scan_result">'), "az") == [
        "scan_result"
    ]


def test_visible_text_leaves_out_text_marked_as_in_another_language() -> None:
    html = (
        '<html lang="az"><body><nav><span lang="az">Azərbaycanca</span>'
        '<a lang="en" href="/en/">English</a><a lang="ru" href="/ru/">Русский</a></nav>'
        "<p>Xidmətlər</p></body></html>"
    )

    assert visible_text(html) == "Azərbaycanca\nXidmətlər"
