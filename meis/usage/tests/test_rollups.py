"""Usage events and their daily rollups: a use counts once, the rollups agree with the events
whichever way they were summed, and a refresh sums only the days that changed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from meis.usage.models import DecisionTimeDaily, RollupState, UsageDaily, UsageEvent, UsageKind
from meis.usage.services import rollup_rebuild, rollup_refresh, usage_record

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2020, 3, 16)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def apply(day: datetime.date, *, channel: str = "portal", source: str | None = None) -> None:
    usage_record(
        kind=UsageKind.APPLICATION,
        occurred_at=at(day),
        service_code="targeted-social-assistance",
        channel=channel,
        region="baku",
        centre_code="baku-1",
        source=source,
    )


def decide(day: datetime.date, working_days: int, *, on_time: bool) -> None:
    usage_record(
        kind=UsageKind.DECISION,
        occurred_at=at(day),
        service_code="targeted-social-assistance",
        channel="portal",
        region="baku",
        centre_code="baku-1",
        outcome="approved",
        measure=working_days,
        on_time=on_time,
    )


def daily() -> dict[tuple[datetime.date, str, str], int]:
    return {
        (row.day, row.kind, row.channel): row.events
        for row in UsageDaily.objects.order_by("day", "kind", "channel")
    }


def test_a_use_with_a_source_counts_once_however_often_it_is_recorded():
    apply(MONDAY, source="case:1:application")
    apply(MONDAY, source="case:1:application")
    apply(MONDAY)
    apply(MONDAY)

    assert UsageEvent.objects.count() == 3


def test_the_local_day_is_baku_time_not_utc():
    late_evening = timezone.make_aware(datetime.datetime(2020, 3, 16, 22, 30))
    usage_record(kind=UsageKind.CALL, occurred_at=late_evening, channel="call_centre")
    usage_record(
        kind=UsageKind.CALL,
        occurred_at=datetime.datetime(2020, 3, 16, 21, 30, tzinfo=datetime.UTC),  # 01:30 in Baku
        channel="call_centre",
    )

    assert sorted(UsageEvent.objects.values_list("day", flat=True)) == [
        MONDAY,
        MONDAY + datetime.timedelta(days=1),
    ]


def test_a_refresh_sums_the_new_days_and_a_rebuild_agrees():
    apply(MONDAY)
    apply(MONDAY, channel="call_centre")
    apply(MONDAY + datetime.timedelta(days=1))
    first = rollup_refresh(today=MONDAY + datetime.timedelta(days=30))
    assert first.days == 4  # two days with events, and "today" and "yesterday"
    assert daily() == {
        (MONDAY, "application", "call_centre"): 1,
        (MONDAY, "application", "portal"): 1,
        (MONDAY + datetime.timedelta(days=1), "application", "portal"): 1,
    }

    apply(MONDAY)
    again = rollup_refresh(today=MONDAY + datetime.timedelta(days=30))

    assert again.days == 3  # only Monday was touched, besides today and yesterday
    assert daily()[(MONDAY, "application", "portal")] == 2
    refreshed = daily()
    rollup_rebuild()
    assert daily() == refreshed
    assert RollupState.objects.get().last_event_id == UsageEvent.objects.latest("id").id


def test_a_second_refresh_with_nothing_new_changes_nothing():
    apply(MONDAY)
    rollup_refresh(today=MONDAY)
    before = daily()

    rollup_refresh(today=MONDAY)

    assert daily() == before == {(MONDAY, "application", "portal"): 1}


def test_decisions_keep_their_working_days_for_the_median_and_their_deadline_count():
    decide(MONDAY, 3, on_time=True)
    decide(MONDAY, 3, on_time=True)
    decide(MONDAY, 12, on_time=False)
    rollup_refresh(today=MONDAY)

    row = UsageDaily.objects.get(kind="decision")
    assert (row.events, row.on_time, row.measured, row.measure_sum) == (3, 2, 3, 18)
    histogram = dict(DecisionTimeDaily.objects.values_list("working_days", "decisions"))
    assert histogram == {3: 2, 12: 1}
