"""Two writers at once do not fork the chain (PostgreSQL): the second waits for the first's
transaction to end and links its event after the first one's."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from meis.audit.chain import chain_verify
from meis.audit.models import AuditAction, AuditEvent
from meis.audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)


def waiting_for_the_chain() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return bool(cursor.fetchone()[0])


def test_a_second_writer_waits_and_links_after_the_first():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writers take the database's lock at BEGIN (IMMEDIATE)")
    first_written, second_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def second_writer() -> None:
        try:
            first_written.wait(10)
            with transaction.atomic():
                audit_record(action=AuditAction.OTHER, actor=None, purpose="second")
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            second_done.set()
            connections.close_all()

    thread = threading.Thread(target=second_writer)
    thread.start()
    with transaction.atomic():
        audit_record(action=AuditAction.OTHER, actor=None, purpose="first")
        first_written.set()
        # Commit only once the second writer is inside its insert: waiting for the chain, or
        # (without a lock) already done. The deadline only bounds a broken run.
        deadline = time.monotonic() + 10
        while not (second_done.is_set() or waiting_for_the_chain()):
            assert time.monotonic() < deadline, "the second writer never reached its insert"
            second_done.wait(0.01)
    thread.join(10)

    assert errors == []
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.purpose for e in events] == ["first", "second"]
    assert events[1].previous_hash == events[0].row_hash
    assert chain_verify().broken is None


def test_many_concurrent_writers_leave_one_intact_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writers take the database's lock at BEGIN (IMMEDIATE)")
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for _ in range(25):
                with transaction.atomic():
                    audit_record(action=AuditAction.OTHER, actor=None, purpose=f"w{number}")
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    report = chain_verify()
    assert report.broken is None
    assert report.events == 100
