"""Issue 21: the centre head's home shows their centre's hours today, what changes them (a closure,
a special regime, with its notice), when the centre opens again, and the coming special regimes
and closures — in the page's language, dates written as meis.core.formats writes them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from meis.accounts.testing import otp_verified
from meis.appointments.tests.conftest import at
from meis.cases.tests.conftest import staff
from meis.centres.models import ServiceCentre

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(db: None) -> Any:
    """The head of Baku DOST centre No. 1 (Monday to Friday 09:00–18:00, restricted reception
    15–20 March 2020, closed for Novruz 20–26 March 2020: the seeded data)."""
    return staff("head", "centre_head", ServiceCentre.objects.get(code="baku-1"), [])


@pytest.fixture
def monday_16_march() -> Iterator[None]:
    with time_machine.travel(at(2020, 3, 16, 10), tick=False):
        yield


@pytest.fixture
def novruz() -> Iterator[None]:
    with time_machine.travel(at(2020, 3, 23, 10), tick=False):
        yield


def section(user: Any, language: str, testid: str) -> str:
    """The text of one part of the home, tags left out and whitespace collapsed."""
    html = otp_verified(Client(), user).get(f"/{language}/staff/").content.decode()
    assert f'lang="{language}"' in html
    part = html.split(f'data-testid="{testid}"', 1)[1].split("</dl>", 1)[0].split("</ul>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part.split(">", 1)[1]).split())


def warning(user: Any, language: str) -> str:
    html = otp_verified(Client(), user).get(f"/{language}/staff/").content.decode()
    text = html.split('class="govuk-warning-text__text"', 1)[1].split("</strong>", 2)
    return " ".join(re.sub(r"<[^>]+>", " ", text[0] + text[1]).split())


@pytest.mark.parametrize(
    ("language", "today", "regimes", "closures"),
    [
        (
            "az",
            "Bu gün bazar ertəsi, 16 mart 2020: 09:00–18:00; məhdud qəbul: yalnız qəbula yazılma ilə",
            "15 mart 2020 – 20 mart 2020 — məhdud qəbul: yalnız qəbula yazılma ilə",
            "20 mart 2020 – 26 mart 2020: Novruz bayramı",
        ),
        (
            "ru",
            "Сегодня понедельник, 16 марта 2020: 09:00–18:00; ограниченный приём: только по записи",
            "15 марта 2020 – 20 марта 2020 — ограниченный приём: только по записи",
            "20 марта 2020 – 26 марта 2020: праздник Новруз",
        ),
    ],
)
def test_the_head_sees_todays_hours_the_regime_and_what_is_coming(
    head, monday_16_march, language, today, regimes, closures
):
    assert section(head, language, "centre-today") == today
    assert section(head, language, "regimes") == regimes
    assert section(head, language, "closures") == closures


@pytest.mark.parametrize(
    ("language", "notice"),
    [("az", "15–20 mart 2020-ci il tarixlərində"), ("ru", "С 15 по 20 марта 2020 года")],
)
def test_the_regimes_notice_is_shown_in_the_pages_language(head, monday_16_march, language, notice):
    assert notice in warning(head, language)


@pytest.mark.parametrize(
    ("language", "today"),
    [
        (
            "az",
            "Bu gün bazar ertəsi, 23 mart 2020: 26 mart 2020 tarixinədək bağlıdır (Novruz bayramı)"
            " Yenidən açılır: bazar, 29 mart 2020, saat 09:00.",
        ),
        (
            "ru",
            "Сегодня понедельник, 23 марта 2020: Закрыт (праздник Новруз) до 26 марта 2020"
            " Снова открывается воскресенье, 29 марта 2020 в 09:00.",
        ),
    ],
)
def test_on_a_closed_day_the_head_sees_why_and_when_the_centre_opens_again(
    head, novruz, language, today
):
    assert section(head, language, "centre-today") == today
