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


def test_the_monthly_and_narrow_rollups_are_filled_from_the_daily_ones():
    old = migrate([("usage", "0002_merge_usage_events")])
    daily = old.get_model("usage", "UsageDaily")
    for day, channel in (
        (datetime.date(2020, 3, 2), "portal"),
        (datetime.date(2020, 3, 30), "email"),
    ):
        daily.objects.create(
            day=day, kind="application", service_code="s", channel=channel, region="baku", events=5
        )
    old.get_model("usage", "DecisionTimeDaily").objects.create(
        day=datetime.date(2020, 3, 2), service_code="s", working_days=4, decisions=2
    )
    try:
        new = migrate([("usage", "0003_monthly_and_narrow_rollups")])
        monthly = new.get_model("usage", "UsageMonthly").objects.order_by("channel")
        assert [(m.month, m.channel, m.events) for m in monthly] == [
            (datetime.date(2020, 3, 1), "email", 5),
            (datetime.date(2020, 3, 1), "portal", 5),
        ]
        totals = new.get_model("usage", "UsageDayTotal").objects.order_by("day")
        assert [(t.day, t.events) for t in totals] == [
            (datetime.date(2020, 3, 2), 5),
            (datetime.date(2020, 3, 30), 5),
        ]
        histogram = new.get_model("usage", "DecisionTimeMonthly").objects.get()
        assert (histogram.month, histogram.working_days, histogram.decisions) == (
            datetime.date(2020, 3, 1),
            4,
            2,
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
