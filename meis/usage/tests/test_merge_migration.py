"""The data migration that merged the two earlier usage tables into `usage.UsageEvent`: every
row moves, with its kind renamed, its Baku day, and a proactive grant's award as its source."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("usage", "0001_initial"),
    ("cases", "0005_decision_handover_in_person"),
    ("proactive", "0003_drop_result_outcome_index"),
]
AFTER = [
    ("usage", "0002_merge_usage_events"),
    ("cases", "0006_delete_usageevent"),
    ("proactive", "0004_delete_usageevent"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_both_earlier_tables_are_copied_into_one():
    old = migrate(BEFORE)
    case_usage = old.get_model("cases", "UsageEvent")
    proactive_usage = old.get_model("proactive", "UsageEvent")
    # 21:30 UTC on 16 March is 01:30 on 17 March in Baku.
    late = datetime.datetime(2020, 3, 16, 21, 30, tzinfo=datetime.UTC)
    case_usage.objects.create(
        service_code="targeted-social-assistance",
        channel="portal",
        kind="submitted",
        occurred_at=late,
    )
    case_usage.objects.create(
        service_code="certificate-pension", channel="portal", kind="completed", occurred_at=late
    )
    case_usage.objects.create(
        service_code="targeted-social-assistance",
        channel="portal",
        kind="appealed",
        occurred_at=late,
    )
    proactive_usage.objects.create(
        service_code="old-age-pension",
        channel="proactive",
        day=datetime.date(2020, 3, 2),
        region="baku",
        award_id=42,
    )
    try:
        new = migrate(AFTER)
        events = new.get_model("usage", "UsageEvent").objects.order_by("id")
        assert [(e.kind, e.service_code, e.day) for e in events] == [
            ("application", "targeted-social-assistance", datetime.date(2020, 3, 17)),
            ("instant", "certificate-pension", datetime.date(2020, 3, 17)),
            ("appeal", "targeted-social-assistance", datetime.date(2020, 3, 17)),
            ("proactive", "old-age-pension", datetime.date(2020, 3, 2)),
        ]
        proactive = events.get(kind="proactive")
        assert (proactive.source, proactive.region, proactive.channel) == (
            "award:42",
            "baku",
            "proactive",
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
