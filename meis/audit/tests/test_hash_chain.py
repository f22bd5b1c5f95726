"""The audit trail is hash-chained: the sealer links every event into a chain of seals, `meis
audit verify` says OK for the trail as written, and names the first sealed event a database
administrator changed or deleted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from meis.audit.chain import GENESIS_HASH, HASHED_FIELDS, audit_seal, chain_verify, row_hash
from meis.audit.models import AuditAction, AuditEvent, AuditSeal
from meis.audit.services import audit_record, person_reads_record
from meis.core.scheduler import jobs_registered

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
    assert audit_seal() == 5
    return list(AuditEvent.objects.order_by("id"))


def seals() -> list[AuditSeal]:
    return list(AuditSeal.objects.order_by("id"))


@contextmanager
def as_database_administrator() -> Iterator[None]:
    """What a superuser can do on PostgreSQL: switch the append-only trigger off for a moment."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's inserts are checked now
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditseal DISABLE TRIGGER USER")
        yield
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditseal ENABLE TRIGGER USER")


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


def test_events_are_sealed_one_after_the_other_from_the_genesis(trail):
    links = seals()
    assert [seal.event_id for seal in links] == [event.pk for event in trail]
    assert links[0].previous_hash == GENESIS_HASH
    assert [s.previous_hash for s in links[1:]] == [s.row_hash for s in links[:-1]]
    assert len({s.row_hash for s in links}) == len(links)


def test_sealing_again_finds_nothing_new(trail):
    assert audit_seal() == 0
    assert AuditSeal.objects.count() == len(trail)


def test_the_scheduler_seals_every_minute():
    job = next(job for job in jobs_registered() if job.name == "audit.seal")
    assert job.interval.total_seconds() == 60
    audit_record(action=AuditAction.OTHER, actor=None, purpose="new")
    assert job.func() == 1


def test_an_untouched_trail_verifies(trail):
    output = verify()
    assert f"OK: {len(trail)} sealed audit event(s)" in output
    assert f"Last event {trail[-1].pk}, head {seals()[-1].row_hash}" in output
    assert "Not sealed yet: 0." in output


def test_an_empty_trail_verifies():
    assert "OK: 0 sealed audit event(s)" in verify()


def test_events_not_sealed_yet_are_counted(trail):
    audit_record(action=AuditAction.OTHER, actor=None, purpose="just now")
    assert "Not sealed yet: 1." in verify()


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


def test_an_edit_with_its_seal_recomputed_breaks_the_next_link(trail):
    edited, following = trail[2], trail[3]
    values = list(AuditEvent.objects.filter(pk=edited.pk).values_list(*HASHED_FIELDS).get())
    values[HASHED_FIELDS.index("purpose")] = "nothing to see"
    seal = AuditSeal.objects.get(event=edited)
    raw("UPDATE audit_auditevent SET purpose = 'nothing to see' WHERE id = %s", [edited.pk])
    raw(
        "UPDATE audit_auditseal SET row_hash = %s WHERE id = %s",
        [row_hash(values, seal.previous_hash), seal.pk],
    )

    assert broken_at() == following.pk
    assert chain_verify().events == 3


def test_a_deleted_event_and_its_seal_are_noticed_at_the_event_after_it(trail):
    deleted, following = trail[2], trail[3]
    raw("DELETE FROM audit_auditseal WHERE event_id = %s", [deleted.pk])
    raw("DELETE FROM audit_auditevent WHERE id = %s", [deleted.pk])

    with pytest.raises(CommandError, match=rf"at event {following.pk}: its seal does not follow"):
        verify()


def test_deleting_the_first_event_is_noticed(trail):
    raw("DELETE FROM audit_auditseal WHERE event_id = %s", [trail[0].pk])
    raw("DELETE FROM audit_auditevent WHERE id = %s", [trail[0].pk])

    assert broken_at() == trail[1].pk


def test_a_sealed_event_deleted_past_its_seal_is_named(trail):
    if connection.vendor != "postgresql":
        pytest.skip("a superuser's way past the foreign key (SQLite's test run checks them)")
    deleted = trail[2]
    with as_database_administrator(), connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no foreign-key checks
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [deleted.pk])
        cursor.execute("SET session_replication_role = DEFAULT")

    with pytest.raises(CommandError, match=rf"at event {deleted.pk}: it was sealed and then"):
        verify()


def test_events_written_after_a_verify_keep_the_chain(trail):
    verify()
    audit_record(action=AuditAction.OTHER, actor=None, purpose="later")
    audit_seal()

    assert chain_verify().broken is None
    assert chain_verify().events == len(trail) + 1


def test_looking_through_the_whole_trail_finds_an_event_far_behind(trail, monkeypatch):
    """An event whose transaction committed long after newer ones were sealed, further behind
    than the sealer looks by default, is sealed when asked to look through everything."""
    raw("DELETE FROM audit_auditseal WHERE event_id = %s", [trail[-1].pk])  # as if not sealed
    raw("DELETE FROM audit_auditseal WHERE event_id = %s", [trail[0].pk])
    monkeypatch.setattr("meis.audit.chain.LOOKBACK_IDS", 0)
    # Only seals of events behind the newest sealed one are left out by the default look-back.
    assert audit_seal() == 1
    assert audit_seal(everything=True) == 1


def rechain_from(start: int) -> None:
    """What a superuser who knows the code can do: recompute every seal from `start` on."""
    links = seals()
    previous = links[start - 1].row_hash if start else GENESIS_HASH
    for seal in links[start:]:
        values = AuditEvent.objects.filter(pk=seal.event_id).values_list(*HASHED_FIELDS).get()
        current = row_hash(values, previous)
        raw(
            "UPDATE audit_auditseal SET previous_hash = %s, row_hash = %s WHERE id = %s",
            [previous, current, seal.pk],
        )
        previous = current


def anchor_of(event: AuditEvent) -> tuple[int, str]:
    return event.pk, AuditSeal.objects.get(event=event).row_hash


def test_verify_prints_the_head_to_keep_and_accepts_it_later(trail):
    output = verify()
    event_id, head = anchor_of(trail[-1])
    assert f"for a later --anchor: {event_id}:{head}" in output
    audit_record(action=AuditAction.OTHER, actor=None, purpose="later")
    audit_seal()

    call_command("audit", "verify", "--anchor", f"{event_id}:{head}", stdout=_Out())
    assert chain_verify(anchor=anchor_of(trail[2])).broken is None


def test_deleting_the_newest_events_shows_only_against_the_recorded_head(trail):
    anchor = anchor_of(trail[-1])
    raw("DELETE FROM audit_auditseal WHERE event_id = %s", [trail[-1].pk])
    raw("DELETE FROM audit_auditevent WHERE id = %s", [trail[-1].pk])

    assert chain_verify().broken is None  # the chain before it is whole
    with pytest.raises(CommandError, match=rf"at event {trail[-1].pk}: .* is gone"):
        call_command("audit", "verify", "--anchor", f"{anchor[0]}:{anchor[1]}", stdout=_Out())


def test_a_rewritten_chain_shows_only_against_the_recorded_head(trail):
    anchor = anchor_of(trail[-1])
    raw("UPDATE audit_auditevent SET purpose = 'nothing to see' WHERE id = %s", [trail[2].pk])
    rechain_from(2)

    assert chain_verify().broken is None  # every link recomputed
    broken = chain_verify(anchor=anchor).broken
    assert broken is not None
    assert broken.event_id == trail[-1].pk


@pytest.mark.parametrize("anchor", ["12", "x:" + "0" * 64, "1:" + "0" * 63, "1:ABC"])
def test_a_malformed_anchor_is_refused_with_what_to_write(anchor):
    with pytest.raises(CommandError, match="ID:HASH"):
        call_command("audit", "verify", "--anchor", anchor, stdout=_Out())
