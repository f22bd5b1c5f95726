"""The migration that introduced the chain leaves the events written before it to the sealer,
which seals them oldest first; and on PostgreSQL the seals are append-only like the events."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from meis.audit.chain import audit_seal, chain_verify

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0003_append_only_trigger")]
AFTER = [("audit", "0004_hash_chain")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_events_written_before_the_chain_are_sealed_by_the_sealer():
    old = migrate(BEFORE)
    event = old.get_model("audit", "AuditEvent")
    for number in range(3):
        event.objects.create(
            action="other",
            purpose=f"before the chain {number}",
            client_address="2001:DB8::1",
            details={"n": number, "tuple": [1, 2]},
        )
    try:
        migrate(AFTER)
        assert chain_verify().unsealed == 3
        assert audit_seal() == 3
        report = chain_verify()
        assert (report.events, report.broken, report.unsealed) == (3, None, 0)
        if connection.vendor == "postgresql":
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute("UPDATE audit_auditseal SET row_hash = 'changed'")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
