"""Writing an audit event takes no lock (PostgreSQL): a second writer never waits for the first's
transaction; an event whose transaction commits after newer events were sealed is sealed in the
next batch; and two sealers at once leave one chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from meis.audit.chain import audit_seal, chain_verify
from meis.audit.models import AuditAction, AuditEvent, AuditSeal
from meis.audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writers take the database's lock at BEGIN (IMMEDIATE)")


def in_another_connection(work, *, timeout: float = 10) -> list[BaseException]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "the other writer waited: writing an event took a lock"
    return errors


def test_a_late_commit_is_sealed_in_the_next_batch_and_no_writer_waits():
    with transaction.atomic():
        audit_record(action=AuditAction.OTHER, actor=None, purpose="first, committed last")
        # Meanwhile another request writes an event and commits at once, and the sealer runs.
        errors = in_another_connection(
            lambda: (
                audit_record(action=AuditAction.OTHER, actor=None, purpose="second"),
                audit_seal(),
            )
        )
        assert errors == []
    first, second = AuditEvent.objects.order_by("id")
    assert list(AuditSeal.objects.values_list("event_id", flat=True)) == [second.pk]

    assert audit_seal() == 1

    assert list(AuditSeal.objects.order_by("id").values_list("event_id", flat=True)) == [
        second.pk,
        first.pk,
    ]
    report = chain_verify()
    assert (report.broken, report.events, report.unsealed) == (None, 2, 0)


def test_many_writers_and_two_sealers_at_once_leave_one_intact_chain():
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for _ in range(25):
                with transaction.atomic():
                    audit_record(action=AuditAction.OTHER, actor=None, purpose=f"w{number}")
                if number < 2:
                    audit_seal()  # two of the writers are also sealers
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    audit_seal()

    assert errors == []
    report = chain_verify()
    assert (report.broken, report.events, report.unsealed) == (None, 100, 0)
