"""Money, dates and yes/no are written one way in every language, on pages and in explanations."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from meis.core import formats
from meis.rules import explain


@pytest.mark.parametrize(
    ("language", "written"),
    [("az", "1 234 567,05 manat"), ("en", "1,234,567.05 AZN"), ("ru", "1 234 567,05 AZN")],
)
def test_money_is_exact_qepik_with_the_language_s_separators(language, written):
    assert formats.money(123_456_705, language) == written


def test_a_negative_amount_and_a_form_s_manat_amount_are_written_alike():
    assert formats.money(-5, "az") == "-0,05 manat"
    assert formats.manat(Decimal("240.5"), "en") == "240.50 AZN"


@pytest.mark.parametrize(
    ("language", "written"),
    [("az", "4 dekabr 2026"), ("en", "4 December 2026"), ("ru", "4 декабря 2026")],
)
def test_a_date_is_day_month_name_and_year_in_the_page_s_language(language, written):
    with translation.override(language):
        assert formats.day(datetime.date(2026, 12, 4)) == written


def test_a_moment_is_written_in_the_site_s_time_zone():
    at = datetime.datetime(2026, 12, 4, 10, 5, tzinfo=datetime.UTC)

    assert formats.day_time(at, "az") == "4 dekabr 2026, 14:05"  # Baku is UTC+4


@pytest.mark.parametrize(("language", "yes", "no"), [("az", "Bəli", "Xeyr"), ("ru", "Да", "Нет")])
def test_yes_and_no_are_translated(language, yes, no):
    assert (formats.yes_no(True, language), formats.yes_no(False, language)) == (yes, no)


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_the_rules_explanations_write_money_and_dates_as_the_pages_do(language):
    for qepik in (0, 5, 42_550, 123_456_705, -1_000):
        assert explain.format_money(qepik, language) == formats.money(qepik, language)
    for on in (datetime.date(2020, 1, 1), datetime.date(2026, 12, 4), datetime.date(1999, 5, 31)):
        assert explain.format_date(on, language) == formats.day(on, language)


def test_the_template_filters_write_in_the_active_language_and_leave_nothing_for_none():
    template = Template(
        "{% load formats %}{{ amount|money }}|{{ on|day }}|{{ flag|yes_no }}|{{ none|money }}"
    )
    context = Context({"amount": 42_550, "on": datetime.date(2026, 3, 8), "flag": True})

    with translation.override("ru"):
        assert template.render(context) == "425,50 AZN|8 марта 2026|Да|"
