"""The selectors read whole months from the monthly rollups, edge days from the daily ones and
series from the narrow day totals: whatever the period, region or centre, every figure equals
what counting the raw events directly gives."""

from __future__ import annotations

import datetime
import random
import statistics
from collections import Counter

import pytest
from django.utils import timezone

from meis.usage.models import E_SERVICE_USES, UsageEvent, UsageKind
from meis.usage.selectors import (
    Period,
    callbacks,
    decision_timeliness,
    kind_total,
    uses_by,
    uses_over_time,
    uses_total,
    volumes,
)
from meis.usage.services import rollup_rebuild, rollup_refresh, usage_record

pytestmark = pytest.mark.django_db

KINDS = [UsageKind.APPLICATION, UsageKind.PROACTIVE, UsageKind.DECISION, UsageKind.CALL]
FIRST = datetime.date(2020, 1, 20)


@pytest.fixture
def three_months() -> None:
    chance = random.Random(19)
    for _ in range(900):
        day = FIRST + datetime.timedelta(days=chance.randrange(100))
        kind = chance.choice(KINDS)
        usage_record(
            kind=kind,
            occurred_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
            service_code=chance.choice(["a", "b", "c"]),
            channel=chance.choice(["portal", "call_centre"]),
            region=chance.choice(["baku", "lankaran_astara"]),
            centre_code=chance.choice(["", "baku-1", "baku-2"]),
            outcome="approved" if kind == UsageKind.DECISION else "",
            measure=chance.randrange(15) if kind in (UsageKind.DECISION, UsageKind.CALL) else None,
            on_time=chance.random() < 0.7 if kind == UsageKind.DECISION else None,
        )
    rollup_refresh(today=datetime.date(2020, 6, 1))


def events(period: Period, kinds):
    rows = UsageEvent.objects.filter(day__range=(period.start, period.end), kind__in=kinds)
    if period.region:
        rows = rows.filter(region=period.region)
    if period.centre:
        rows = rows.filter(centre_code=period.centre)
    return list(rows)


PERIODS = [
    Period(datetime.date(2020, 1, 1), datetime.date(2020, 4, 30)),  # whole months only
    Period(datetime.date(2020, 1, 25), datetime.date(2020, 4, 10)),  # edges on both sides
    Period(datetime.date(2020, 2, 3), datetime.date(2020, 2, 20)),  # inside one month
    Period(datetime.date(2020, 2, 1), datetime.date(2020, 3, 15), region="baku"),
    Period(datetime.date(2020, 1, 31), datetime.date(2020, 3, 31), centre="baku-1"),
    Period(datetime.date(2020, 2, 29), datetime.date(2020, 3, 1)),  # a leap day to a 1st
]


@pytest.mark.parametrize("period", PERIODS)
def test_every_figure_equals_the_raw_count(three_months, period):
    raw = events(period, E_SERVICE_USES)
    assert uses_total(period) == len(raw)
    assert dict(uses_by(period, "channel")) == dict(Counter(e.channel for e in raw))
    assert kind_total(period, UsageKind.PROACTIVE) == len(events(period, [UsageKind.PROACTIVE]))
    for step in ("day", "week", "month"):
        series = dict(uses_over_time(period, step=step))
        assert sum(series.values()) == len(raw)
    by_day = dict(uses_over_time(period, step="day"))
    assert by_day == {
        period.start + datetime.timedelta(days=i): sum(
            1 for e in raw if e.day == period.start + datetime.timedelta(days=i)
        )
        for i in range(period.days)
    }
    decisions = events(period, [UsageKind.DECISION])
    for row in decision_timeliness(period, by="service_code"):
        mine = [e for e in decisions if e.service_code == row.key]
        assert row.decisions == len(mine)
        assert row.on_time == sum(1 for e in mine if e.on_time)
        assert row.median_working_days == statistics.median(e.measure for e in mine)
    calls = events(period, [UsageKind.CALL])
    for volume in volumes(period, UsageKind.CALL, by="service_code"):
        mine = [e for e in calls if e.service_code == volume.key]
        assert volume.count == len(mine)
        assert volume.average_seconds == pytest.approx(statistics.mean(e.measure for e in mine))


@pytest.fixture
def call_backs() -> None:
    """Call backs promised on random days, and most of them closed a few days later."""
    chance = random.Random(142)
    for number in range(300):
        promised = FIRST + datetime.timedelta(days=chance.randrange(100))
        usage_record(
            kind=UsageKind.CALLBACK_REQUESTED,
            occurred_at=timezone.make_aware(datetime.datetime.combine(promised, datetime.time(9))),
            service_code=chance.choice(["pensions", "disability"]),
            channel="call_centre",
            source=f"callback:{number}",
        )
        if chance.random() < 0.2:
            continue
        done = chance.random() < 0.8
        usage_record(
            kind=UsageKind.CALLBACK_CLOSED,
            occurred_at=timezone.make_aware(
                datetime.datetime.combine(
                    promised + datetime.timedelta(days=chance.randrange(3)), datetime.time(15)
                )
            ),
            service_code=chance.choice(["pensions", "disability"]),
            channel="call_centre",
            outcome="done" if done else "unreachable",
            measure=chance.randrange(60, 200_000) if done else None,
            on_time=chance.random() < 0.7 if done else None,
            source=f"callback:{number}:closed",
        )
    rollup_refresh(today=datetime.date(2020, 6, 1))


@pytest.mark.parametrize("period", PERIODS)
def test_the_call_back_figures_equal_the_raw_count(call_backs, period):
    promised = events(period, [UsageKind.CALLBACK_REQUESTED])
    closed = events(period, [UsageKind.CALLBACK_CLOSED])
    rows = callbacks(period)
    assert {row.key for row in rows} == {e.service_code for e in promised + closed}
    for row in rows:
        done = [e for e in closed if e.service_code == row.key and e.outcome == "done"]
        assert row.requested == sum(1 for e in promised if e.service_code == row.key)
        assert row.done == len(done)
        assert row.on_time == sum(1 for e in done if e.on_time)
        assert row.unreachable == sum(
            1 for e in closed if e.service_code == row.key and e.outcome == "unreachable"
        )
        if done:
            assert row.average_wait_seconds == pytest.approx(
                statistics.mean(e.measure for e in done)
            )
        else:
            assert row.average_wait_seconds is None


def test_a_rebuild_gives_the_same_figures_as_the_refreshes(three_months):
    period = PERIODS[1]
    before = (
        uses_total(period),
        uses_by(period, "service_code"),
        decision_timeliness(period, by="centre_code"),
    )
    rollup_rebuild()
    after = (
        uses_total(period),
        uses_by(period, "service_code"),
        decision_timeliness(period, by="centre_code"),
    )
    assert after == before
