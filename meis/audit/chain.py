"""The audit trail's hash chain (ADR 0022): the sealer appends, for each event not yet sealed,
an `AuditSeal` whose `row_hash` is the SHA-256 of the event's fields and the previous seal's
`row_hash`. A sealed event edited or deleted behind the application's back — by a database
administrator who disabled the append-only triggers — breaks the chain at its seal, and
`meis audit verify` names it.

Why seals are written after the fact and not with the event: linking an event on insert needs
the chain's head, so every transaction that writes an event would hold one global lock until it
commits — every audited request in the country would take turns, and a transaction that audits
and then waits for a row another auditing transaction holds would deadlock. Writing an event
stays a plain INSERT; one sealer (`audit_seal`, every minute from the scheduler) takes the lock,
and the chain follows the order in which events are sealed, so an event whose transaction
commits late is simply sealed in a later batch.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock's key for the chain's head ("MEISAUDT" as a big-endian integer).
CHAIN_LOCK_KEY = int.from_bytes(b"MEISAUDT", "big")
# The fields a hash covers, in this order (the event's id too: a seal names its event).
HASHED_FIELDS = (
    "id",
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
# How far behind the newest sealed event the sealer looks for events that committed late (a
# long transaction); an event further behind is sealed by `audit_seal(everything=True)`, and
# `meis audit verify` counts every event still unsealed.
LOOKBACK_IDS = 1_000_000
SEAL_BATCH = 50_000


def _moment(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return str(value)


def row_hash(values: Sequence[Any], previous_hash: str) -> str:
    """The hash of one event: `values` in the order of HASHED_FIELDS, as the database gives
    them back, then the previous seal's hash."""
    fields = dict(zip(HASHED_FIELDS, values, strict=True))
    canonical = [
        previous_hash,
        fields["id"],
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
    """Hold the chain's head until the current transaction ends (call inside one). Only sealers
    take it; SQLite's writers already take the database's lock at BEGIN."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def audit_seal(*, everything: bool = False, batch: int = SEAL_BATCH) -> int:
    """Seal the events not sealed yet, oldest first, in batches; how many were sealed.

    Looks back LOOKBACK_IDS ids behind the newest sealed event (events that committed late),
    or through the whole trail with `everything`. Safe to run twice or in two processes at
    once: the second waits for the first's lock and then finds nothing left to seal."""
    sealed = 0
    while True:
        count = _seal_batch(everything=everything, batch=batch)
        sealed += count
        if count < batch:
            return sealed


def _seal_batch(*, everything: bool, batch: int) -> int:
    from meis.audit.models import AuditEvent, AuditSeal

    with transaction.atomic():
        chain_lock()
        head = AuditSeal.objects.order_by("-id").values_list("row_hash", flat=True).first()
        newest = AuditSeal.objects.aggregate(newest=Max("event_id"))["newest"] or 0
        floor = 0 if everything else max(newest - LOOKBACK_IDS, 0)
        rows = list(
            AuditEvent.objects.filter(id__gt=floor, seal__isnull=True)
            .order_by("id")
            .values_list(*HASHED_FIELDS)[:batch]
        )
        previous = head or GENESIS_HASH
        seals = []
        for values in rows:
            current = row_hash(values, previous)
            seals.append(AuditSeal(event_id=values[0], previous_hash=previous, row_hash=current))
            previous = current
        AuditSeal.objects.bulk_create(seals)
    return len(seals)


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
    unsealed: int


CHUNK = 20_000


def _seals() -> Iterator[list[tuple[Any, ...]]]:
    """Every seal in chain order, a chunk at a time (keyset pagination: each chunk is one
    indexed range query, whatever the trail's size)."""
    from meis.audit.models import AuditSeal

    after = 0
    while True:
        chunk = list(
            AuditSeal.objects.filter(id__gt=after)
            .order_by("id")
            .values_list("id", "event_id", "previous_hash", "row_hash")[:CHUNK]
        )
        if chunk:
            yield chunk
        if len(chunk) < CHUNK:
            return
        after = chunk[-1][0]


def _events(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    from meis.audit.models import AuditEvent

    rows = AuditEvent.objects.filter(id__in=ids).values_list(*HASHED_FIELDS)
    return {row[0]: row for row in rows}


def chain_verify(*, anchor: tuple[int, str] | None = None) -> ChainReport:
    """Walk the whole chain and stop at the first seal whose event, hash or link does not hold;
    count the events not sealed yet.

    `anchor`, an (event id, hash) pair an earlier verify printed and someone kept outside the
    database, must still be sealed with the same hash: that catches the two changes the chain
    alone cannot show, the newest events deleted with their seals, and every hash after an edit
    recomputed."""
    from meis.audit.models import AuditEvent

    previous = GENESIS_HASH
    count, last_id = 0, None
    for chunk in _seals():
        events = _events([event_id for _, event_id, _, _ in chunk])
        for _, event_id, stored_previous, stored_hash in chunk:
            broken = _break(event_id, events.get(event_id), stored_previous, stored_hash, previous)
            if broken is None and anchor is not None and event_id == anchor[0]:
                broken = _anchor_break(anchor, stored_hash)
                anchor = None
            if broken is not None:
                return ChainReport(count, last_id, previous, broken, unsealed=0)
            previous, last_id, count = stored_hash, event_id, count + 1
    if anchor is not None:
        gone = ChainBreak(anchor[0], "it was recorded earlier and is gone: events were deleted")
        return ChainReport(count, last_id, previous, gone, unsealed=0)
    unsealed = AuditEvent.objects.filter(seal__isnull=True).count()
    return ChainReport(count, last_id, previous, None, unsealed=unsealed)


def _anchor_break(anchor: tuple[int, str], stored_hash: str) -> ChainBreak | None:
    if stored_hash != anchor[1]:
        return ChainBreak(
            anchor[0],
            "its hash is not the one recorded earlier: the trail was rewritten up to here",
        )
    return None


def _break(
    event_id: int,
    values: tuple[Any, ...] | None,
    stored_previous: str,
    stored_hash: str,
    previous: str,
) -> ChainBreak | None:
    if values is None:
        return ChainBreak(event_id, "it was sealed and then deleted")
    if stored_previous != previous:
        return ChainBreak(
            event_id,
            "its seal does not follow the one before it: a seal between them was deleted, "
            "or the one before was changed",
        )
    if row_hash(values, stored_previous) != stored_hash:
        return ChainBreak(event_id, "its content does not match its seal: it was changed")
    return None
