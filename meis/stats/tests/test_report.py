"""`meis stats report`: the seed's kinds of figures for a period, as text or JSON, and a clear
answer to a period that makes no sense."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("stats", "report", *args, stdout=out)
    return out.getvalue()


def test_the_report_prints_the_seeds_kinds_of_figures(march_2020):
    figures = json.loads(report("--from", "2020-03-01", "--to", "2020-03-31", "--json"))

    # Applications 46, proactive 39, certificate checks 15 (issuing one is not a further use).
    assert figures["e_service_uses"] == 46 + 39 + 15
    assert figures["proactive"]["old_age_pensions"] == 25
    assert figures["proactive"]["benefits"] == 11
    assert figures["proactive"]["stipends"] == 3
    assert figures["proactive_total"] == 39
    assert figures["certificates_issued"] == 20
    assert figures["decisions"] == 3
    assert figures["calls"] == 2
    assert figures["uses_by_channel"] == {"portal": 49, "proactive": 39, "call_centre": 12}


def test_the_text_report_reads_like_the_ministrys_figures(march_2020):
    text = report("--from", "2020-03-16", "--to", "2020-03-16")

    assert "E-service uses" in text
    assert "  old-age pensions" in text
    assert "E-certificates issued                                      20" in text


def test_a_period_outside_the_figures_counts_nothing(march_2020):
    figures = json.loads(report("--from", "2021-01-01", "--to", "2021-12-31", "--json"))
    assert figures["e_service_uses"] == 0


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2020-03-31", "2020-03-01", "starts after it ends"),
        ("1900-01-01", "1900-12-31", "No figures before 2016-01-01"),
        ("2020-02-30", "2020-03-31", "is not a date"),
        ("16.03.2020", "2020-03-31", "is not a date"),
    ],
)
def test_a_period_that_makes_no_sense_is_refused_in_words(start, end, message):
    with pytest.raises(CommandError, match=message):
        report("--from", start, "--to", end)


def test_the_report_needs_its_period():
    with pytest.raises(CommandError, match="Give the period"):
        report("--from", "2020-03-01")
