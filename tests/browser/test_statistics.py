"""Issue 19's pages in real Chromium, reached by clicking: a visitor opens "Statistics" from the
footer of the home page and sees this year's figures drawn as charts with their tables, then the
open data; an analyst signs in, opens the dashboard from the navigation, narrows it to a region
and downloads a table as CSV. Every page passes axe-core and reflows at 320 px."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from meis.accounts.tests import factories
from meis.catalog.services import catalog_import_seed
from meis.usage.models import UsageKind
from meis.usage.services import rollup_refresh, usage_record
from tests.browser.test_staff_homes import problems, sign_in_staff_from_the_home_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def charts_drawn(page) -> int:
    """How many chart canvases Chart.js has drawn on."""
    return page.evaluate(
        "() => [...document.querySelectorAll('figure[data-chart] canvas')]"
        ".filter(c => window.Chart && window.Chart.getChart(c) && c.width > 0).length"
    )


@pytest.fixture
def this_year_used(db: None) -> None:
    catalog_import_seed()
    today = timezone.localdate()
    for days_ago, region, times in ((0, "baku", 14), (1, "lankaran_astara", 12)):
        moment = timezone.now() - datetime.timedelta(days=days_ago)
        if timezone.localdate(moment).year != today.year:
            moment = timezone.now()
        for _ in range(times):
            usage_record(
                kind=UsageKind.APPLICATION,
                occurred_at=moment,
                service_code="targeted-social-assistance",
                channel="portal",
                region=region,
                centre_code="baku-1",
            )
    for _ in range(11):
        usage_record(
            kind=UsageKind.PROACTIVE,
            occurred_at=timezone.now(),
            service_code="old-age-pension",
            channel="proactive",
            region="baku",
        )
    rollup_refresh()


def test_a_visitor_finds_the_figures_and_the_open_data_from_the_home_page(
    page, live_server, axe_source, js_errors, this_year_used
):
    page.goto(f"{live_server.url}/en/")
    page.click("footer >> text=Statistics")
    page.wait_for_url(re.compile(r"/en/statistics/$"))
    assert page.inner_text("[data-testid=uses]") == "37"
    page.wait_for_function("() => window.Chart !== undefined")
    assert charts_drawn(page) == 2
    assert "Portal" in page.inner_text("[data-testid=table-uses-by-channel]")
    assert problems(page, axe_source) == []

    page.click("main >> text=Open data: the daily figures as CSV and JSON")
    page.wait_for_url(re.compile(r"/en/statistics/open-data/$"))
    year = timezone.localdate().year
    assert f"/open-data/usage-{year}.csv" in page.inner_html("[data-testid=open-data-files]")
    assert problems(page, axe_source) == []
    assert js_errors == []


def test_an_analyst_narrows_the_dashboard_to_a_region_and_downloads_a_table(
    page, live_server, axe_source, js_errors, this_year_used
):
    analyst = factories.staff_user("analyst")
    sign_in_staff_from_the_home_page(page, live_server.url, analyst)
    page.click("#navigation >> text=Statistics")
    page.wait_for_url(re.compile(r"/en/backoffice/statistics/$"))
    assert page.inner_text("[data-testid=uses-period]") == "37"
    page.wait_for_function("() => window.Chart !== undefined")
    assert charts_drawn(page) >= 5
    assert problems(page, axe_source) == []

    page.select_option("#id_region", "lankaran_astara")
    page.click("[data-testid=period-form] button[type=submit]")
    page.wait_for_url(re.compile(r"region=lankaran_astara"))
    assert page.inner_text("[data-testid=uses-period]") == "12"

    with page.expect_download() as download:
        page.click("#uses-by-channel >> text=as CSV")
    lines = download.value.path().read_text().splitlines()
    assert lines == ["Channel,Uses", "Portal,12"]
    assert js_errors == []
