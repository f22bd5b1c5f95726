"""The audit trail's hash chain (ADR 0022): each event's `row_hash` is the SHA-256 of its fields
and the `row_hash` of the event before it, so a row edited, deleted or inserted behind the
application's back — by a database administrator who disabled the append-only trigger — breaks
the chain at that row, and `meis audit verify` names it.

Events are linked in id order as they are inserted: `chain_link` takes a transaction-scoped lock
(PostgreSQL: an advisory lock; SQLite: its writers already take the database's lock at BEGIN),
reads the newest event's hash and links the new events after it. The lock is held until the
writer's transaction ends, so a second writer waits and then sees the first one's events: the
chain never forks.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection

if TYPE_CHECKING:
    from meis.audit.models import AuditEvent

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock's key for the chain's head ("MEISAUDT" as a big-endian integer).
CHAIN_LOCK_KEY = int.from_bytes(b"MEISAUDT", "big")
# The fields a hash covers, in this order (the id is not one: it is the chain's order).
HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_role",
    "actor_institution",
    "action",
    "person_id",
    "object_type",
    "object_id",
    "purpose",
    "client_address",
    "details",
)


def _moment(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return str(value)


def as_stored(details: Any) -> Any:
    """The details as the database gives them back (tuples as lists, keys as text)."""
    return json.loads(json.dumps(details))


def row_hash(values: Sequence[Any], previous_hash: str) -> str:
    """The hash of one event: `values` in the order of HASHED_FIELDS (details as stored), then
    the previous hash."""
    fields = dict(zip(HASHED_FIELDS, values, strict=True))
    canonical = [
        previous_hash,
        _moment(fields["occurred_at"]),
        fields["actor_id"],
        fields["actor_role"],
        fields["actor_institution"],
        fields["action"],
        fields["person_id"],
        fields["object_type"],
        fields["object_id"],
        fields["purpose"],
        _address(fields["client_address"]),
        fields["details"],
    ]
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def chain_lock() -> None:
    """Hold the chain's head until the current transaction ends (call inside one)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def chain_head() -> str:
    """The newest event's hash (the genesis hash for an empty trail)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_hash FROM audit_auditevent ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return str(row[0]) if row and row[0] else GENESIS_HASH


def chain_link(events: Iterable[AuditEvent]) -> None:
    """Link unsaved events, in the order they will be inserted, after the newest event. Call it
    inside the transaction that inserts them, right before the insert."""
    chain_lock()
    previous = chain_head()
    for event in events:
        event.details = as_stored(event.details)
        event.previous_hash = previous
        event.row_hash = previous = row_hash(
            [getattr(event, name) for name in HASHED_FIELDS], previous
        )


@dataclass(frozen=True)
class ChainBreak:
    """The first event at which the chain does not hold, and why."""

    event_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    """What a walk of the chain found: how many events, the last one, and the first break."""

    events: int
    last_id: int | None
    head: str
    broken: ChainBreak | None


CHUNK = 20_000


def _rows(after_id: int = 0) -> Iterator[tuple[Any, ...]]:
    """Every event from `after_id` on, in id order, as value tuples, a chunk at a time (keyset
    pagination: each chunk is one indexed range query, whatever the table's size)."""
    from meis.audit.models import AuditEvent

    columns = ("id", "previous_hash", "row_hash", *HASHED_FIELDS)
    while True:
        chunk = list(
            AuditEvent.objects.filter(id__gt=after_id).order_by("id").values_list(*columns)[:CHUNK]
        )
        yield from chunk
        if len(chunk) < CHUNK:
            return
        after_id = chunk[-1][0]


def chain_verify(*, anchor: tuple[int, str] | None = None) -> ChainReport:
    """Walk the whole chain and stop at the first event whose hash or link does not hold.

    `anchor`, an (event id, hash) pair an earlier verify printed and someone kept outside the
    database, must still be there with the same hash: that catches the two changes the chain
    alone cannot show, events deleted from the end and every hash after an edit recomputed."""
    previous = GENESIS_HASH
    count, last_id = 0, None
    for event_id, stored_previous, stored_hash, *values in _rows():
        broken = _break(event_id, stored_previous, stored_hash, values, previous, last_id)
        if broken is None and anchor is not None and event_id >= anchor[0]:
            broken = _anchor_break(anchor, event_id, stored_hash)
            anchor = None
        if broken is not None:
            return ChainReport(count, last_id, previous, broken)
        previous, last_id, count = stored_hash, event_id, count + 1
    if anchor is not None:
        return ChainReport(count, last_id, previous, _anchor_break(anchor, None, ""))
    return ChainReport(count, last_id, previous, None)


def _anchor_break(
    anchor: tuple[int, str], event_id: int | None, stored_hash: str
) -> ChainBreak | None:
    anchor_id, anchor_hash = anchor
    if event_id != anchor_id:
        return ChainBreak(anchor_id, "it was recorded earlier and is gone: events were deleted")
    if stored_hash != anchor_hash:
        return ChainBreak(
            anchor_id,
            "its hash is not the one recorded earlier: the trail was rewritten up to here",
        )
    return None


def _break(
    event_id: int,
    stored_previous: str,
    stored_hash: str,
    values: list[Any],
    previous: str,
    last_id: int | None,
) -> ChainBreak | None:
    if not stored_hash:
        return ChainBreak(event_id, "it has no hash: it was inserted outside the application")
    if stored_previous != previous:
        before = f"event {last_id}" if last_id is not None else "the start of the trail"
        return ChainBreak(
            event_id,
            f"it does not follow {before}: an event between them was deleted, or one was changed",
        )
    if row_hash(values, stored_previous) != stored_hash:
        return ChainBreak(event_id, "its content does not match its hash: it was changed")
    return None
