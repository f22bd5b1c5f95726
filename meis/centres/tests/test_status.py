"""What the DOST directory says about a centre at a moment: open until when, restricted
reception during March 2020, closed for Novruz, and when it opens again."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meis.centres.models import ServiceCentre
from meis.centres.selectors import CentreState, centre_status, centres_for_directory

pytestmark = pytest.mark.django_db

BAKU = datetime.timezone(datetime.timedelta(hours=4))


def _baku_1() -> ServiceCentre:
    return next(c for c in centres_for_directory() if c.code == "baku-1")


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BAKU)


def test_on_16_march_2020_reception_is_restricted_to_appointments_with_the_notice() -> None:
    with translation.override("en"):
        status = centre_status(centre=_baku_1(), at=_at(2020, 3, 16, 10))
    assert status.state == CentreState.RESTRICTED
    assert status.headline == "Open until 18:00; restricted reception: appointments only"
    assert "only by appointment" in status.notice


def test_during_novruz_the_centre_is_closed_until_26_march_and_reopens_on_29_march() -> None:
    with translation.override("en"):
        status = centre_status(centre=_baku_1(), at=_at(2020, 3, 23, 11))
    assert status.state == CentreState.CLOSED
    assert status.headline == "Closed for Novruz holiday until 26 March"
    # 27 March was swapped with Sunday 29 March, a working day (docs/domain.md §11).
    assert status.next_opening == _at(2020, 3, 29, 9)


@pytest.mark.parametrize(("language", "until"), [("az", "26 mart"), ("ru", "26 марта")])
def test_the_day_it_reopens_is_written_as_a_date_in_each_language(language, until) -> None:
    # A day of a month, not the month's name: "26 марта", not "26 Март"; "26 mart", not "26 Mart".
    with translation.override(language):
        status = centre_status(centre=_baku_1(), at=_at(2020, 3, 23, 11))
    assert until in status.headline


def test_on_an_ordinary_day_it_is_open_until_closing_then_closed_until_the_next_morning() -> None:
    with translation.override("en"):
        open_now = centre_status(centre=_baku_1(), at=_at(2020, 4, 7, 17, 30))
        after = centre_status(centre=_baku_1(), at=_at(2020, 4, 7, 18, 5))
        early = centre_status(centre=_baku_1(), at=_at(2020, 4, 7, 8))
    assert (open_now.state, open_now.headline) == (CentreState.OPEN, "Open until 18:00")
    assert (after.state, after.headline) == (CentreState.CLOSED, "Closed now")
    assert after.next_opening == _at(2020, 4, 8, 9)
    assert early.headline == "Opens today at 09:00"


def test_on_a_saturday_the_centre_is_closed_and_opens_on_monday() -> None:
    status = centre_status(centre=_baku_1(), at=_at(2020, 4, 11, 12))
    assert status.state == CentreState.CLOSED
    assert status.next_opening == _at(2020, 4, 13, 9)


def test_the_directory_page_shows_hours_contacts_and_the_march_notice(client: Client) -> None:
    with time_machine.travel(_at(2020, 3, 16, 10), tick=False), translation.override("en"):
        html = client.get(reverse("centres:directory")).content.decode()
    assert "Baku DOST centre No. 1" in html
    assert "Open until 18:00; restricted reception: appointments only" in html
    assert "Monday: 09:00–18:00" in html
    assert "baki1@dost.gov.az" in html
    assert "From 15 to 20 March 2020 citizens are received only by appointment" in html


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_the_directory_answers_in_each_language(client: Client, language: str) -> None:
    with time_machine.travel(_at(2020, 3, 23, 10), tick=False), translation.override(language):
        response = client.get(reverse("centres:directory"))
    assert response.status_code == 200
    novruz = {"az": "Novruz bayramı", "en": "Novruz holiday", "ru": "праздник Новруз"}[language]
    assert novruz in response.content.decode()


@pytest.mark.parametrize(
    ("language", "restricted", "notice", "region", "phones"),
    [
        (
            "az",
            "Saat 18:00-dək açıqdır; məhdud qəbul: yalnız qəbula yazılma ilə",
            "15–20 mart 2020-ci il tarixlərində vətəndaşlar yalnız əvvəlcədən növbə ilə",
            "Bakı",
            "Telefonlar",
        ),
        (
            "ru",
            "Открыт до 18:00; ограниченный приём: только по записи",
            "С 15 по 20 марта 2020 года граждан принимают только по предварительной записи",
            "Баку",
            "Телефоны",
        ),
    ],
)
def test_the_march_notice_region_and_phones_read_in_the_pages_language(
    client: Client, language: str, restricted: str, notice: str, region: str, phones: str
) -> None:
    with time_machine.travel(_at(2020, 3, 16, 10), tick=False), translation.override(language):
        html = client.get(reverse("centres:directory")).content.decode()
    for text in (restricted, notice, f">{region}<", phones, "+994 12 142 01 01"):
        assert text in html


def test_the_demo_can_set_now_back_to_march_2020(client: Client, settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.MEIS_DEMO_NOW = "2020-03-16T10:00"  # type: ignore[attr-defined]
    with translation.override("en"):
        html = client.get(reverse("centres:directory")).content.decode()
    assert "restricted reception: appointments only" in html
