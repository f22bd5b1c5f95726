"""Open data: each year's daily aggregates as CSV and JSON at stable addresses, validated by the
Frictionless validator against their own data package, small counts left empty."""

from __future__ import annotations

import csv
import io
import json
import pathlib

import pytest
from django.test import Client
from frictionless import Package, validate

pytestmark = pytest.mark.django_db


def fetch(path: str) -> bytes:
    response = Client().get(path)
    assert response.status_code == 200, path
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content


def test_the_files_validate_against_their_own_data_package(march_2020, tmp_path: pathlib.Path):
    descriptor = json.loads(fetch("/open-data/datapackage.json"))
    for resource in descriptor["resources"]:
        (tmp_path / resource["path"]).write_bytes(fetch(f"/open-data/{resource['path']}"))
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))

    report = validate(str(tmp_path / "datapackage.json"))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [r["path"] for r in descriptor["resources"]] == ["usage-2020.csv", "usage-2020.json"]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    package = Package(str(tmp_path / "datapackage.json"))  # type: ignore[misc]
    assert package.get_resource("usage-2020-csv").schema.primary_key == [
        "day",
        "kind",
        "service_code",
        "channel",
        "region",
    ]


def test_counts_under_ten_are_left_empty(march_2020):
    rows = list(csv.DictReader(io.StringIO(fetch("/open-data/usage-2020.csv").decode())))

    stipends = next(r for r in rows if r["service_code"] == "stipend")
    assert stipends["events"] == ""  # 3 stipends
    applications = next(
        r
        for r in rows
        if r["kind"] == "application" and r["channel"] == "portal" and r["region"] == "baku"
    )
    assert applications["events"] == "30"
    as_json = json.loads(fetch("/open-data/usage-2020.json"))
    assert len(as_json) == len(rows)
    assert {"day", "kind", "service_code", "channel", "region", "events"} == set(as_json[0])


def test_a_year_with_no_figures_or_an_unknown_format_is_not_found(march_2020):
    assert Client().get("/open-data/usage-1999.csv").status_code == 404
    assert Client().get("/open-data/usage-2020.xlsx").status_code == 404


def test_the_open_data_page_lists_the_files_and_the_licence(march_2020):
    html = Client().get("/en/statistics/open-data/").content.decode()
    assert "/open-data/usage-2020.csv" in html
    assert "/open-data/datapackage.json" in html
    assert "Creative Commons Attribution 4.0" in html
