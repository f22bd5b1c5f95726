"""'Days remaining' as citizens and case workers read it."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from meis.workcalendar import selectors
from meis.workcalendar.presentation import deadline_text

pytestmark = pytest.mark.django_db


def _reading(on: date):
    return selectors.deadline_reading(submitted_on=date(2020, 3, 19), working_days=5, on=on)


def test_the_summary_says_how_many_working_days_are_left_and_the_due_date():
    with translation.override("en"):
        html = Template("{% load deadlines %}{% deadline_summary reading %}").render(
            Context({"reading": _reading(date(2020, 3, 20))})
        )
    assert "5 working days left — due 2 April 2020" in html
    assert "On track" in html


def test_two_working_days_left_is_due_soon():
    with translation.override("en"):
        html = Template("{% load deadlines %}{% deadline_summary reading %}").render(
            Context({"reading": _reading(date(2020, 3, 31))})
        )
    assert "2 working days left" in html
    assert "Due soon" in html
    assert "govuk-tag--yellow" in html


def test_a_case_past_its_due_date_reads_as_overdue():
    with translation.override("en"):
        text = Template("{% load deadlines %}{{ reading|deadline_text }}").render(
            Context({"reading": _reading(date(2020, 4, 6))})
        )
    assert text == "2 working days overdue — due 2 April 2020"


def test_the_due_date_is_written_in_the_active_language():
    with translation.override("ru"):
        text = deadline_text(_reading(date(2020, 3, 20)))
    assert "2 апреля 2020" in text


def test_an_azerbaijani_date_writes_its_month_in_lower_case():
    # As every other date on MEİS's pages and letters does (meis.core.formats.day); Django's own
    # catalogue would write "2 Aprel 2020".
    with translation.override("az"):
        text = deadline_text(_reading(date(2020, 3, 20)))
    assert "2 aprel 2020" in text
    assert "Aprel" not in text


def test_the_same_reading_reads_in_each_language_however_often_it_is_asked():
    reading = _reading(date(2020, 3, 20))
    texts: dict[str, set[str]] = {}
    for language in ("az", "ru", "en", "az", "en", "ru"):
        with translation.override(language):
            texts.setdefault(language, set()).add(deadline_text(reading))
    assert {language: len(seen) for language, seen in texts.items()} == {"az": 1, "ru": 1, "en": 1}
    assert texts["en"] == {"5 working days left — due 2 April 2020"}
