"""The public statistics page and the analysts' dashboard: the demo's uses by service and
channel with a table under every chart, small counts hidden in public, each table as CSV, and
bad filters answered in words."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

APRIL_1 = datetime.datetime(2020, 4, 1, 12, tzinfo=datetime.UTC)
DASHBOARD = "/en/backoffice/statistics/"
MARCH = {"start": "2020-03-01", "end": "2020-03-31"}


def table(html: str, key: str) -> str:
    return html.split(f'data-testid="table-{key}"', 1)[1].split("</table>", 1)[0]


@time_machine.travel(APRIL_1)
def test_the_public_page_shows_this_years_figures_and_hides_small_counts(march_2020):
    html = Client().get("/en/statistics/").content.decode()

    assert 'data-testid="uses"' in html
    assert ">100</span>" in html  # 46 applications, 39 proactive grants, 15 checks
    proactive = html.split('data-testid="proactive"', 1)[1].split("</dl>", 1)[0]
    assert "25" in proactive
    assert "fewer than 10" in proactive  # 3 stipends
    assert "Call centre 142" in table(html, "uses-by-channel")
    assert "March 2020" in table(html, "uses-by-month")
    assert "chart.umd.min.js" in html


@time_machine.travel(APRIL_1)
@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_public_page_speaks_the_visitors_language(march_2020, language):
    html = Client().get(f"/{language}/statistics/").content.decode()
    with translation.override(language):
        assert translation.gettext("E-service uses by month") in html
    assert "E-service uses by month" not in html
    assert "call_centre" not in html


def test_the_public_page_is_reached_from_every_page_footer(db):
    home = Client().get("/en/").content.decode()
    assert reverse("statistics:public") in home
    assert reverse("statistics:open_data") in home


@time_machine.travel(APRIL_1)
def test_an_analyst_sees_uses_by_service_channel_and_day_with_tables(march_2020, analyst):
    html = analyst.get(DASHBOARD, MARCH).content.decode()

    assert 'data-testid="uses-period">100<' in html
    services = table(html, "uses-by-service")
    assert "Apply for targeted state social assistance" in services
    assert "targeted-social-assistance" not in services
    assert "Portal" in table(html, "uses-by-channel")
    assert "16 March 2020" in table(html, "uses-over-time")
    timeliness = table(html, "decisions-by-service")
    assert "66.7" in timeliness  # 2 of 3 within the deadline
    assert ">4.0<" in timeliness  # the median of 2, 4 and 12 working days
    assert "10.0" in table(html, "walk-in")  # 600 seconds' wait


@time_machine.travel(APRIL_1)
def test_each_table_downloads_as_csv(march_2020, analyst):
    response = analyst.get(DASHBOARD, {**MARCH, "region": "baku", "csv": "uses-by-channel"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "Channel,Uses"
    assert "Call centre 142,12" in lines  # Lankaran's 4 are filtered out
    assert analyst.get(DASHBOARD, {**MARCH, "csv": "nothing-such"}).status_code == 404


@time_machine.travel(APRIL_1)
def test_a_region_narrows_every_figure(march_2020, analyst):
    html = analyst.get(DASHBOARD, {**MARCH, "region": "lankaran_astara"}).content.decode()
    assert 'data-testid="uses-period">4<' in html


@time_machine.travel(APRIL_1)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"start": "2020-03-31", "end": "2020-03-01"},
            "The last day must not be before the first day.",
        ),
        ({"start": "1900-01-01", "end": "1900-12-31"}, "Figures are kept from 1 January 2016"),
        ({**MARCH, "region": "atlantis"}, "Choose a region from the list."),
        ({**MARCH, "centre": "nowhere"}, "Choose a centre from the list."),
        ({"start": "2010-01-01", "end": "2020-03-31", "step": "day"}, "Figures are kept from"),
        (
            {"start": "2016-01-01", "end": "2020-03-31", "step": "day"},
            "A series by day covers at most a year",
        ),
        ({"start": "2020-03-01", "end": "2021-03-31"}, "cannot be in the future"),
        ({"start": "16/03/2020", "end": "2020-03-31"}, "Enter the first day as a date"),
        ({"start": "2020-03-01\x00", "end": "2020-03-31"}, "Enter the first day as a date"),
    ],
)
def test_a_filter_that_makes_no_sense_is_answered_in_words(march_2020, analyst, query, message):
    response = analyst.get(DASHBOARD, {**query, "csv": "uses-over-time"})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_analysts_and_administrators_open_the_dashboard(case_worker, db):
    assert case_worker.get(DASHBOARD).status_code == 403
    anonymous = Client().get(DASHBOARD)
    assert anonymous.status_code == 302


@time_machine.travel(APRIL_1)
def test_the_analysts_home_and_navigation_lead_to_the_dashboard(analyst):
    home = analyst.get("/en/staff/").content.decode()
    assert home.count(DASHBOARD) >= 2  # the navigation and the home's desks


@time_machine.travel(APRIL_1)
def test_the_dashboard_opens_on_this_year_with_nothing_chosen(march_2020, analyst):
    html = analyst.get(DASHBOARD).content.decode()
    assert 'value="2020-01-01"' in html
    assert 'data-testid="uses-period">100<' in html
