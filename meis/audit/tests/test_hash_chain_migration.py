"""The migration that introduced the chain links the events written before it, in id order,
and on PostgreSQL gets its one UPDATE past the append-only trigger and leaves the trigger on."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from meis.audit.chain import chain_verify

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0003_append_only_trigger")]
AFTER = [("audit", "0004_hash_chain")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_events_written_before_the_chain_are_linked_by_the_migration():
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
        report = chain_verify()
        assert (report.events, report.broken) == (3, None)
        if connection.vendor == "postgresql":
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute("UPDATE audit_auditevent SET purpose = 'changed'")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
