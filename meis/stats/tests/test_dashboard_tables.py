"""The dashboard's tables hold the figures of a known March: proactive grants by heading,
certificates issued and checked, decisions by centre, calls and call backs to 142, and uses by
region — on the page and in each CSV; and a period longer than five years is refused in words."""

from __future__ import annotations

import csv
import datetime
import html as html_text
import io
import re

import pytest
import time_machine

pytestmark = pytest.mark.django_db

APRIL_1 = datetime.datetime(2020, 4, 1, 12, tzinfo=datetime.UTC)
DASHBOARD = "/en/backoffice/statistics/"
MARCH = {"start": "2020-03-01", "end": "2020-03-31"}


def table(page: str, key: str) -> list[list[str]]:
    """The table's heading row and its rows, each a list of its cells' text."""
    body = page.split(f'data-testid="table-{key}"', 1)[1].split("</table>", 1)[0]
    return [
        [html_text.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]
        for cells in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)
        )
    ]


@time_machine.travel(APRIL_1)
def test_the_tables_hold_the_figures_of_the_period(march_2020, analyst):
    page = analyst.get(DASHBOARD, MARCH).content.decode()

    assert table(page, "proactive") == [
        ["What was assigned", "Assignments"],
        ["Old-age pensions", "25"],
        ["Disability pensions", "0"],
        ["Survivor pensions", "0"],
        ["Benefits", "11"],
        ["Targeted social assistance", "0"],
        ["Presidential stipends", "3"],
    ]
    assert table(page, "certificates") == [
        ["Certificate", "Issued", "Checked"],
        ["Certificate: pension status and amount", "20", "15"],
    ]
    assert table(page, "decisions-by-centre") == [
        ["Centre", "Within the deadline, %", "Decisions", "Median, working days"],
        ["Baku DOST centre No. 1", "66.7", "3", "4.0"],  # 2 of 3 in time; median of 2, 4, 12
    ]
    assert table(page, "calls") == [
        ["Topic", "Calls", "Average length, minutes"],
        ["Pensions", "2", "4.0"],
    ]
    assert table(page, "uses-by-region") == [
        ["Region", "Uses"],
        ["Baku", "96"],
        ["Lankaran-Astara", "4"],
    ]
    assert table(page, "call-backs") == [
        [
            "Topic",
            "Promised",
            "Called back",
            "Called back by the deadline",
            "Not reached",
            "Average wait for the call back, hours",
        ],
        ["Pensions", "4", "2", "1", "1", "16.0"],  # waits of 2 and 30 hours
        ["All topics", "4", "2", "1", "1", "16.0"],
    ]
    note = page.split('data-testid="note-call-backs"', 1)[1].split("</p>", 1)[0]
    assert "no telephone exchange" in note


@time_machine.travel(APRIL_1)
def test_every_table_downloads_as_the_same_figures(march_2020, analyst):
    page = analyst.get(DASHBOARD, MARCH).content.decode()
    keys = re.findall(r'data-testid="table-([a-z-]+)"', page)
    assert len(keys) == page.count("<canvas") == page.count("as CSV") == 12

    for key in keys:
        response = analyst.get(DASHBOARD, {**MARCH, "csv": key})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        shown = [[cell.replace("—", "") for cell in row] for row in table(page, key)]
        assert rows == shown, key  # small counts: written alike on the page and in the CSV

    calls = analyst.get(DASHBOARD, {**MARCH, "csv": "call-backs"}).content.decode()
    assert calls.splitlines() == [
        "Topic,Promised,Called back,Called back by the deadline,Not reached,"
        '"Average wait for the call back, hours"',
        "Pensions,4,2,1,1,16.0",
        "All topics,4,2,1,1,16.0",
    ]
    regions = analyst.get(DASHBOARD, {**MARCH, "csv": "uses-by-region"}).content.decode()
    assert regions.splitlines() == ["Region,Uses", "Baku,96", "Lankaran-Astara,4"]


@time_machine.travel(APRIL_1)
def test_call_backs_count_where_they_were_promised_and_closed(march_2020, analyst):
    # Promised on the 16th; made on the 17th: the 16th alone has the promises and the one not
    # reached, and no wait.
    page = analyst.get(DASHBOARD, {"start": "2020-03-16", "end": "2020-03-16"}).content.decode()
    assert table(page, "call-backs")[1] == ["Pensions", "4", "0", "0", "1", "—"]


@time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC))
@pytest.mark.parametrize(
    "query",
    [
        {"start": "2016-01-01", "end": "2026-05-31", "step": "day"},  # ten years by day
        {"start": "2016-01-01", "end": "2026-05-31", "step": "month"},
        {"start": "2021-01-01", "end": "2026-01-05", "step": "week"},  # five years and a day
    ],
)
def test_a_period_longer_than_five_years_is_refused_in_words(march_2020, analyst, query):
    response = analyst.get(DASHBOARD, {**query, "csv": "uses-over-time"})

    assert response.status_code == 400
    assert "Choose a period of at most five years." in response.content.decode()


@time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC))
def test_five_years_by_week_is_a_bounded_csv(march_2020, analyst):
    longest = analyst.get(
        DASHBOARD, {"start": "2021-01-01", "end": "2026-01-04", "step": "week", "csv": "calls"}
    )
    assert longest.status_code == 200  # 1,830 days: the longest period allowed

    response = analyst.get(
        DASHBOARD,
        {"start": "2021-06-01", "end": "2026-05-31", "step": "week", "csv": "uses-over-time"},
    )

    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    # The weeks from Monday 31 May 2021 to the one of Sunday 31 May 2026, and the heading.
    assert len(lines) == 1 + 261
    assert lines[1] == "week of 31 May 2021,0"
