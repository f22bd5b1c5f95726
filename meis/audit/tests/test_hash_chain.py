"""The audit trail is hash-chained: `meis audit verify` says OK for the trail as written, and
names the first event a database administrator changed, deleted or slipped in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from meis.audit.chain import GENESIS_HASH, HASHED_FIELDS, chain_verify, row_hash
from meis.audit.models import AuditAction, AuditEvent
from meis.audit.services import audit_record, person_reads_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(citizen) -> list[AuditEvent]:
    """Five events, written one by one and in bulk, with details and a client address."""
    first = audit_record(action=AuditAction.OTHER, actor=None, purpose="first")
    person_reads_record(
        actor_role="api_client",
        actor_institution="Bank",
        reads=[(citizen.pk, citizen), (citizen.pk, citizen)],
        purpose="a page of a list",
        details={"client": "bank", "pages": (1, 2), "ünvan": "Bakı"},
    )
    audit_record(
        action=AuditAction.PERSON_READ,
        actor=None,
        person=citizen,
        obj=citizen,
        purpose="read",
        details={"b": 1, "a": [None, True, 0.5]},
    )
    audit_record(action=AuditAction.OTHER, actor=None, purpose="last")
    del first
    return list(AuditEvent.objects.order_by("id"))


@contextmanager
def as_database_administrator() -> Iterator[None]:
    """What a superuser can do on PostgreSQL: switch the append-only trigger off for a moment."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's inserts are checked now
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        yield
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def raw(sql: str, params: list[str | int]) -> None:
    with as_database_administrator(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def broken_at() -> int | None:
    broken = chain_verify().broken
    return broken.event_id if broken else None


def verify() -> str:
    call_command("audit", "verify", stdout=(out := _Out()))
    return out.text


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_events_are_linked_one_after_the_other_from_the_genesis(trail):
    assert trail[0].previous_hash == GENESIS_HASH
    assert [e.previous_hash for e in trail[1:]] == [e.row_hash for e in trail[:-1]]
    assert len({e.row_hash for e in trail}) == len(trail)


def test_an_untouched_trail_verifies(trail):
    output = verify()
    assert f"OK: {len(trail)} audit event(s)" in output
    assert f"Last event {trail[-1].pk}, head {trail[-1].row_hash}" in output


def test_an_empty_trail_verifies():
    assert "OK: 0 audit event(s)" in verify()


def test_an_edited_event_is_named(trail):
    edited = trail[2]
    raw("UPDATE audit_auditevent SET purpose = 'nothing to see' WHERE id = %s", [edited.pk])

    with pytest.raises(CommandError, match=rf"at event {edited.pk}: its content does not match"):
        verify()


def test_edited_details_are_noticed(trail):
    edited = trail[1]
    raw(
        "UPDATE audit_auditevent SET details = %s WHERE id = %s",
        ['{"client": "someone else"}', edited.pk],
    )

    assert broken_at() == edited.pk


def test_an_edit_with_its_hash_recomputed_breaks_the_next_link(trail):
    edited, following = trail[2], trail[3]
    values = [getattr(edited, name) for name in HASHED_FIELDS]
    values[HASHED_FIELDS.index("purpose")] = "nothing to see"
    raw(
        "UPDATE audit_auditevent SET purpose = 'nothing to see', row_hash = %s WHERE id = %s",
        [row_hash(values, edited.previous_hash), edited.pk],
    )

    assert broken_at() == following.pk
    assert chain_verify().events == 3


def test_a_deleted_event_is_noticed_at_the_event_after_it(trail):
    deleted, following = trail[2], trail[3]
    raw("DELETE FROM audit_auditevent WHERE id = %s", [deleted.pk])

    with pytest.raises(CommandError, match=rf"at event {following.pk}: it does not follow event"):
        verify()


def test_deleting_the_first_event_is_noticed(trail):
    raw("DELETE FROM audit_auditevent WHERE id = %s", [trail[0].pk])

    assert broken_at() == trail[1].pk


def test_an_event_inserted_behind_the_application_is_noticed(trail):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_role, actor_institution, action,"
            " object_type, object_id, purpose, details, previous_hash, row_hash)"
            " VALUES (%s, '', '', 'other', '', '', 'forged', '{}', %s, %s)",
            [trail[-1].occurred_at, trail[-1].row_hash, "f" * 64],
        )
    report = chain_verify()
    assert report.broken is not None
    assert report.events == len(trail)


def test_events_written_after_a_verify_keep_the_chain(trail):
    verify()
    audit_record(action=AuditAction.OTHER, actor=None, purpose="later")

    assert chain_verify().broken is None
    assert chain_verify().events == len(trail) + 1


def rechain_from(events: list[AuditEvent], start: int) -> None:
    """What a superuser who knows the code can do: recompute every hash from `start` on."""
    previous = events[start - 1].row_hash if start else GENESIS_HASH
    for event in AuditEvent.objects.filter(id__gte=events[start].pk).order_by("id"):
        current = row_hash([getattr(event, name) for name in HASHED_FIELDS], previous)
        raw(
            "UPDATE audit_auditevent SET previous_hash = %s, row_hash = %s WHERE id = %s",
            [previous, current, event.pk],
        )
        previous = current


def anchor_of(event: AuditEvent) -> str:
    return f"{event.pk}:{event.row_hash}"


def test_an_intact_trail_verifies_against_its_recorded_head(trail):
    call_command("audit", "verify", "--anchor", anchor_of(trail[-1]), stdout=_Out())
    audit_record(action=AuditAction.OTHER, actor=None, purpose="later")

    assert chain_verify(anchor=(trail[2].pk, trail[2].row_hash)).broken is None


def test_deleting_the_newest_events_shows_only_against_the_recorded_head(trail):
    raw("DELETE FROM audit_auditevent WHERE id = %s", [trail[-1].pk])

    assert chain_verify().broken is None  # the chain before it is whole
    with pytest.raises(CommandError, match=rf"at event {trail[-1].pk}: .* is gone"):
        call_command("audit", "verify", "--anchor", anchor_of(trail[-1]), stdout=_Out())


def test_a_rewritten_chain_shows_only_against_the_recorded_head(trail):
    raw("UPDATE audit_auditevent SET purpose = 'nothing to see' WHERE id = %s", [trail[2].pk])
    rechain_from(trail, 2)

    assert chain_verify().broken is None  # every link recomputed
    assert broken_at_anchor(trail[-1]) == trail[-1].pk


def broken_at_anchor(event: AuditEvent) -> int | None:
    broken = chain_verify(anchor=(event.pk, event.row_hash)).broken
    return broken.event_id if broken else None


@pytest.mark.parametrize("anchor", ["12", "x:" + "0" * 64, "1:" + "0" * 63, "1:ABC"])
def test_a_malformed_anchor_is_refused_with_what_to_write(anchor):
    with pytest.raises(CommandError, match="ID:HASH"):
        call_command("audit", "verify", "--anchor", anchor, stdout=_Out())
