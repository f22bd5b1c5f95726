"""Tickets numbered per group and day; counters call the oldest ticket of their groups, once."""

from __future__ import annotations

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import translation

from meis.centres.models import ServiceCentre
from meis.walkin.models import Counter, Ticket, TicketStatus
from meis.walkin.selectors import display_for, waits_of_day
from meis.walkin.services import (
    QueueActionError,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
)
from meis.walkin.tests.conftest import counter, group, seed_groups_and_counters

BAKU = ZoneInfo("Asia/Baku")
MORNING = datetime.datetime(2026, 3, 16, 9, 0, tzinfo=BAKU)


def at(minutes: int, day: datetime.datetime = MORNING) -> datetime.datetime:
    return day + datetime.timedelta(minutes=minutes)


def test_tickets_are_numbered_per_group_from_one_each_day(centre: ServiceCentre) -> None:
    a, b = group(centre, "A"), group(centre, "B")

    codes = [
        ticket_issue(group=a, now=at(0)).code,
        ticket_issue(group=a, now=at(1)).code,
        ticket_issue(group=b, now=at(2)).code,
        ticket_issue(group=a, now=at(3)).code,
    ]
    next_day = ticket_issue(group=a, now=at(0, MORNING + datetime.timedelta(days=1)))

    assert codes == ["A001", "A002", "B001", "A003"]
    assert next_day.code == "A001"


def test_a_counter_calls_the_oldest_ticket_of_the_groups_it_serves(centre: ServiceCentre) -> None:
    ticket_issue(group=group(centre, "C"), now=at(0))  # counter 1 serves A and B only
    b1 = ticket_issue(group=group(centre, "B"), now=at(1))
    ticket_issue(group=group(centre, "A"), now=at(2))

    called = ticket_call_next(counter=counter(centre, 1), actor=None, now=at(5))

    assert called is not None
    assert called.code == b1.code == "B001"
    assert called.status == TicketStatus.CALLED
    assert called.called_at == at(5)


def test_a_counter_finishes_its_ticket_before_it_calls_the_next(centre: ServiceCentre) -> None:
    desk = counter(centre, 3)
    for minute in range(2):
        ticket_issue(group=group(centre, "A"), now=at(minute))
    ticket_call_next(counter=desk, actor=None, now=at(5))

    with translation.override("en"), pytest.raises(QueueActionError, match="A001 is still"):
        ticket_call_next(counter=desk, actor=None, now=at(6))
    ticket_finish(counter=desk, outcome=TicketStatus.SERVED, now=at(9))
    second = ticket_call_next(counter=desk, actor=None, now=at(10))

    assert second is not None
    assert second.code == "A002"


def test_nobody_waiting_calls_nothing_and_finishing_nothing_is_refused(
    centre: ServiceCentre,
) -> None:
    desk = counter(centre, 1)

    assert ticket_call_next(counter=desk, actor=None, now=at(0)) is None
    with translation.override("en"), pytest.raises(QueueActionError, match="No ticket is called"):
        ticket_finish(counter=desk, outcome=TicketStatus.SERVED, now=at(1))


def test_yesterdays_tickets_are_never_called(centre: ServiceCentre) -> None:
    ticket_issue(group=group(centre, "A"), now=at(0) - datetime.timedelta(days=1))

    assert ticket_call_next(counter=counter(centre, 1), actor=None, now=at(0)) is None


def test_the_times_are_kept_and_give_the_days_waiting_statistics(centre: ServiceCentre) -> None:
    desk, a = counter(centre, 1), group(centre, "A")
    ticket_issue(group=a, now=at(0))
    ticket_issue(group=a, now=at(2))
    ticket_call_next(counter=desk, actor=None, now=at(10))  # A001 waited 10 minutes
    ticket_finish(counter=desk, outcome=TicketStatus.SERVED, now=at(15))
    ticket_call_next(counter=desk, actor=None, now=at(22))  # A002 waited 20 minutes
    ticket_finish(counter=desk, outcome=TicketStatus.NO_SHOW, now=at(25))

    first, second = Ticket.objects.order_by("number")
    (row,) = [row for row in waits_of_day(centre=centre, on=MORNING.date()) if row.group == a]

    assert (first.issued_at, first.called_at, first.served_at) == (at(0), at(10), at(15))
    assert (second.status, second.no_show_at, second.served_at) == ("no_show", at(25), None)
    assert (row.issued, row.served, row.no_show) == (2, 1, 1)
    assert (row.average_wait_minutes, row.longest_wait_minutes) == (15, 20)


def test_the_display_shows_the_latest_call_first(centre: ServiceCentre) -> None:
    for minute in range(3):
        ticket_issue(group=group(centre, "A"), now=at(minute))
    ticket_call_next(counter=counter(centre, 1), actor=None, now=at(5))
    ticket_call_next(counter=counter(centre, 3), actor=None, now=at(6))

    shown = display_for(centre=centre, now=at(7))

    assert [(line.code, line.counter_number) for line in shown.lines] == [("A002", 3), ("A001", 1)]
    assert dict((g.letter, n) for g, n in shown.waiting)["A"] == 1


# --- Real concurrent connections (PostgreSQL) ---------------------------------------------------
def _concurrently(count: int, work: object) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            results.append(work(index))  # type: ignore[operator]
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.fixture
def postgresql(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    seed_groups_and_counters()


@pytest.mark.usefixtures("postgresql")
def test_tickets_given_at_once_by_many_kiosks_get_distinct_numbers() -> None:
    a = group(ServiceCentre.objects.get(code="baku-1"), "A")

    codes = _concurrently(12, lambda _i: ticket_issue(group=a).code)

    assert sorted(codes) == [f"A{n:03d}" for n in range(1, 13)]  # type: ignore[type-var]


@pytest.mark.usefixtures("postgresql")
def test_counters_calling_at_once_never_call_the_same_ticket() -> None:
    """Eight counters work the queue in parallel until it is empty: every ticket is called
    exactly once, and none is left waiting."""
    centre = ServiceCentre.objects.get(code="baku-1")
    a = group(centre, "A")
    desks = [Counter.objects.create(centre=centre, number=10 + i) for i in range(8)]
    for desk in desks:
        desk.groups.set([a])
    for _n in range(40):
        ticket_issue(group=a)

    def work(index: int) -> list[str]:
        desk, called = desks[index], []
        while (ticket := ticket_call_next(counter=desk, actor=None)) is not None:
            called.append(ticket.code)
            ticket_finish(counter=desk, outcome=TicketStatus.SERVED)
        return called

    per_counter = _concurrently(8, work)

    everything = [code for codes in per_counter for code in codes]  # type: ignore[attr-defined]
    assert sorted(everything) == [f"A{n:03d}" for n in range(1, 41)]
    assert not Ticket.objects.filter(status=TicketStatus.WAITING).exists()
    assert sum(1 for codes in per_counter if codes) > 1
