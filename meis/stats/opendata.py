"""Open data (issue 19, item 5): each year's daily usage aggregates as CSV and JSON, described by
a Frictionless tabular data package (https://specs.frictionlessdata.io/), at stable addresses:

    /open-data/datapackage.json      the data dictionary: every file, its fields, the licence
    /open-data/usage-YYYY.csv        one year, a row per day × kind × service × channel × region
    /open-data/usage-YYYY.json       the same rows as a JSON array of objects

A count under 10 is published empty (missing) — "fewer than 10" — so that a small region's rare
service cannot single a person out. The files are built from the rollups, never the events.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from meis.usage.models import UsageKind
from meis.usage.selectors import daily_rows, extent

SUPPRESSED_BELOW = 10
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
FIELDS = ["day", "kind", "service_code", "channel", "region", "events"]

SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "day",
            "type": "date",
            "title": "Day",
            "description": "The day of the uses, Baku time (UTC+4).",
            "constraints": {"required": True},
        },
        {
            "name": "kind",
            "type": "string",
            "title": "Kind of use",
            "description": "; ".join(f"{kind.value}: {kind.label}" for kind in UsageKind),
            "constraints": {"required": True, "enum": list(UsageKind.values)},
        },
        {
            "name": "service_code",
            "type": "string",
            "title": "E-service",
            "description": "The e-service's code in the MEİS catalogue (/services/); for a call, "
            "the call's topic; empty where no one service applies.",
        },
        {
            "name": "channel",
            "type": "string",
            "title": "Channel",
            "description": "portal, call_centre (142), centre_desk (DOST centre), email, api, "
            "proactive (assigned without an application).",
        },
        {
            "name": "region",
            "type": "string",
            "title": "Economic region",
            "description": "The economic region of the person (or of the centre); empty where "
            "not known.",
        },
        {
            "name": "events",
            "type": "integer",
            "title": "Uses",
            "description": f"How many; empty when fewer than {SUPPRESSED_BELOW} "
            "(suppressed to protect privacy).",
            "constraints": {"minimum": SUPPRESSED_BELOW},
        },
    ],
    "missingValues": [""],
    "primaryKey": ["day", "kind", "service_code", "channel", "region"],
}


def years_published() -> list[int]:
    return extent().years


def rows(year: int) -> Iterator[dict[str, Any]]:
    for row in daily_rows(year=year):
        events = int(row["events"])
        yield {
            "day": row["day"].isoformat(),
            "kind": row["kind"],
            "service_code": row["service_code"],
            "channel": row["channel"],
            "region": row["region"],
            "events": events if events >= SUPPRESSED_BELOW else None,
        }


def csv_chunks(year: int) -> Iterable[str]:
    """The year's CSV, a block of rows at a time (streamed: a year is many rows)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for number, row in enumerate(rows(year), start=1):
        writer.writerow({**row, "events": "" if row["events"] is None else row["events"]})
        if number % 5000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(year: int) -> Iterable[str]:
    yield "["
    for number, row in enumerate(rows(year)):
        yield ("," if number else "") + json.dumps(row, ensure_ascii=False)
    yield "]"


def datapackage(years: list[int]) -> dict[str, Any]:
    resources = []
    for year in years:
        for fmt, mediatype in (("csv", "text/csv"), ("json", "application/json")):
            resources.append(
                {
                    "name": f"usage-{year}-{fmt}",
                    "path": f"usage-{year}.{fmt}",
                    "profile": "tabular-data-resource",
                    "format": fmt,
                    "mediatype": mediatype,
                    "encoding": "utf-8",
                    "title": f"E-service usage per day, {year}",
                    "schema": SCHEMA,
                }
            )
    return {
        "profile": "tabular-data-package",
        "name": "meis-usage",
        "title": "MEİS: uses of the social-protection e-services, per day",
        "description": (
            "Every use of the ministry's e-services and channels, counted once, summed per day, "
            "kind of use, e-service, channel and economic region. No personal data. Counts "
            f"under {SUPPRESSED_BELOW} are left empty. Updated daily."
        ),
        "licenses": [LICENCE],
        "resources": resources,
    }
