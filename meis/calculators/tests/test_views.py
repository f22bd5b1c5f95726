"""The public calculators through the Django test client, in az / en / ru: results with their
explanation, translated form errors in a GOV.UK error summary, and never a 500 on bad input."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.test import Client

LANGS = ["az", "en", "ru"]
TODAY = date(2026, 11, 25)
FAMILY = {
    "members": "4",
    "average_income": "400",
    "purchases": "0",
    "utility_spending": "50",
    "has_vehicle": "no",
    "refused_jobs": "no",
    "has_second_property": "no",
}
PENSIONER = {
    "sex": "female",
    "birth_day": "29",
    "birth_month": "2",
    "birth_year": "1960",
    "record_years": "25",
    "record_months": "10",
    "capital": "20000",
}


@pytest.fixture(autouse=True)
def _today() -> Any:
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _get(client: Client, path: str, data: dict[str, str] | None = None) -> str:
    response = client.get(path, data or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_the_pages_open_without_signing_in(client: Client, lang: str) -> None:
    for path in ("", "pension/", "targeted-assistance/"):
        html = _get(client, f"/{lang}/calculators/{path}")
        assert f'<html lang="{lang}"' in html
        assert "govuk-error-summary" not in html


ASSISTANCE_TEXT = {
    "en": "the need criterion for 4 members in 2026 is 1,200.00 AZN; the difference, 800.00 AZN,"
    " is your monthly assistance",
    "az": "2026-cı ildə 4 nəfərlik ailə üçün ehtiyac meyarı 1 200,00 manat təşkil edir; fərq,"
    " 800,00 manat, sizin aylıq yardımınızdır",
    "ru": "критерий нуждаемости для семьи из 4 человек в 2026 году — 1 200,00 AZN; разница,"
    " 800,00 AZN, — ваша ежемесячная помощь",
}


@pytest.mark.parametrize("lang", LANGS)
def test_assistance_amount_with_its_explanation(client: Client, lang: str) -> None:
    html = _get(client, f"/{lang}/calculators/targeted-assistance/", FAMILY)
    assert ASSISTANCE_TEXT[lang] in html.replace("&#x27;", "'")


@pytest.mark.parametrize("lang", LANGS)
def test_assistance_refused_for_a_vehicle_and_a_second_home(client: Client, lang: str) -> None:
    answers = FAMILY | {"has_vehicle": "yes", "has_second_property": "yes"}
    html = _get(client, f"/{lang}/calculators/targeted-assistance/", answers)
    assert html.count("<li>") >= 2
    ground = {"en": "refusal ground 4", "az": "4-cü imtina əsası", "ru": "основание для отказа 4"}
    assert ground[lang] in html
    assert "800,00" not in html
    assert "800.00" not in html


@pytest.mark.parametrize("lang", LANGS)
def test_pension_date_and_amount(client: Client, lang: str) -> None:
    html = _get(client, f"/{lang}/calculators/pension/", PENSIONER)
    amount = {"en": "349.76 AZN", "az": "349,76 manat", "ru": "349,76 AZN"}[lang]
    assert amount in html
    assert {"en": "28 February 2023", "az": "28 fevral 2023", "ru": "28 февраля 2023"}[lang] in html


def test_pension_not_yet_reached_shows_the_future_date_and_an_estimate(client: Client) -> None:
    answers = PENSIONER | {
        "sex": "male",
        "birth_year": "1970",
        "birth_day": "28",
        "capital": "72000",
    }
    html = _get(client, "/en/calculators/pension/", answers)
    assert "Your pension date" in html
    assert "28 February 2035" in html
    assert "Estimated monthly pension: 500.00 AZN" in html


BAD_PENSION = [
    ({"capital": "-5"}, "The amount cannot be negative"),
    ({"capital": "1e400"}, "The amount must be 10,000,000 AZN or less"),
    ({"capital": "99999999999999999999999"}, "The amount must be 10,000,000 AZN or less"),
    ({"capital": "abc"}, "Enter an amount in manat"),
    ({"capital": "NaN"}, "Enter an amount in manat"),
    ({"capital": "1.001"}, "Enter the amount with at most 2 decimals"),
    ({"birth_year": "2030", "birth_day": "1"}, "Date of birth must be in the past"),
    (
        {"birth_day": "26", "birth_month": "11", "birth_year": "2026"},
        "Date of birth must be in the past",
    ),
    ({"birth_year": "1066"}, "Enter a number from 1900 to 2100"),
    ({"birth_year": "99999999999999999999999"}, "Enter a number from 1900 to 2100"),
    ({"birth_day": "31", "birth_month": "2"}, "Date of birth must be a real date"),
    ({"birth_day": "29", "birth_year": "1961"}, "Date of birth must be a real date"),
    ({"record_months": "12"}, "Enter a number from 0 to 11"),
    ({"record_years": "-1"}, "Enter a number from 0 to 80"),
    ({"record_years": "2.5"}, "Enter a whole number"),
    ({"sex": "other"}, "Select your sex"),
    ({"sex": ""}, "Select your sex"),
    ({"birth_day": ""}, "Date of birth must include a day"),
]


@pytest.mark.parametrize(("change", "error"), BAD_PENSION)
def test_bad_pension_input_is_a_form_error(
    client: Client, change: dict[str, str], error: str
) -> None:
    html = _get(client, "/en/calculators/pension/", PENSIONER | change)
    assert "govuk-error-summary" in html
    assert error in html
    assert "<title>Error:" in html
    assert 'id="result"' not in html


BAD_ASSISTANCE = [
    ({"members": "0"}, "Enter a number from 1 to 30"),
    ({"members": "100000000000000000000"}, "Enter a number from 1 to 30"),
    ({"average_income": "-1"}, "The amount cannot be negative"),
    ({"average_income": "10000000.01"}, "The amount must be 10,000,000 AZN or less"),
    ({"utility_spending": "Infinity"}, "Enter an amount in manat"),
    ({"has_vehicle": "maybe"}, "Select yes if the family owns or uses a vehicle"),
    ({"refused_jobs": ""}, "Select yes if a family member refused suitable jobs"),
]


@pytest.mark.parametrize(("change", "error"), BAD_ASSISTANCE)
def test_bad_assistance_input_is_a_form_error(
    client: Client, change: dict[str, str], error: str
) -> None:
    html = _get(client, "/en/calculators/targeted-assistance/", FAMILY | change)
    assert "govuk-error-summary" in html
    assert error in html


def test_money_accepts_a_comma_and_spaces(client: Client) -> None:
    answers = FAMILY | {"average_income": "1 000,50", "members": "10"}
    html = _get(client, "/az/calculators/targeted-assistance/", answers)
    assert "1 000,50 manat" in html


def test_the_largest_inputs_are_answered(client: Client) -> None:
    answers = FAMILY | {
        "members": "30",
        "average_income": "10000000",
        "purchases": "10000000",
        "utility_spending": "10000000",
    }
    html = _get(client, "/ru/calculators/targeted-assistance/", answers)
    assert 'id="result"' in html
    pension = PENSIONER | {
        "capital": "10000000",
        "record_years": "80",
        "birth_year": "1900",
        "birth_day": "1",
    }
    assert 'id="result"' in _get(client, "/ru/calculators/pension/", pension)


@pytest.mark.parametrize("lang", LANGS)
def test_errors_render_in_every_language(client: Client, lang: str) -> None:
    html = _get(client, f"/{lang}/calculators/pension/", {"sex": "female"})
    assert "govuk-error-summary" in html
    assert 'href="#id_birth_day"' in html


IMPOSSIBLE_RECORD = {
    "en": "An insurance record of 40 years is longer than the life, up to 25 November 2026, of a"
    " person born on 1 March 2000.",
    "az": "Sığorta stajı (40 il) 1 mart 2000 tarixində doğulmuş şəxsin 25 noyabr 2026 tarixinədək"
    " yaşadığı müddətdən uzundur.",
    "ru": "Страховой стаж (40 лет) длиннее жизни человека, родившегося 1 марта 2000, к 25 ноября"
    " 2026.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_record_longer_than_the_person_s_life_is_a_translated_form_error(
    client: Client, lang: str
) -> None:
    answers = PENSIONER | {
        "birth_day": "1",
        "birth_month": "3",
        "birth_year": "2000",
        "record_years": "40",
        "record_months": "0",
    }
    html = _get(client, f"/{lang}/calculators/pension/", answers)
    assert IMPOSSIBLE_RECORD[lang] in html.replace("&#x27;", "'")
    assert 'href="#id_record_years"' in html
    assert 'id="result"' not in html
