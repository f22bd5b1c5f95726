"""Hash-chain the audit trail (ADR 0022): two columns, and the chain computed for the events
written before it, in id order.

The backfill is the one UPDATE the append-only trigger of 0003 must let through. This migration
disables the trigger for its own transaction (PostgreSQL's ALTER TABLE is transactional, and it
locks the table against every other writer until the migration commits), fills the chain, and
enables the trigger again before committing: no other session ever sees the table without it.
"""

from typing import Any

import django.utils.timezone
from django.db import migrations, models

from meis.audit.chain import CHAIN_LOCK_KEY, GENESIS_HASH, HASHED_FIELDS, row_hash

CHUNK = 5_000
TRIGGER = "audit_auditevent_append_only"


def _chunks(AuditEvent: Any) -> Any:  # noqa: N803 — the historical model
    after = 0
    while True:
        rows = list(
            AuditEvent.objects.filter(id__gt=after)
            .order_by("id")
            .values_list("id", *HASHED_FIELDS)[:CHUNK]
        )
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def chain_backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuditEvent = apps.get_model("audit", "AuditEvent")  # noqa: N806
    postgres = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgres:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks block the ALTER
            cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}")
        previous = GENESIS_HASH
        for rows in _chunks(AuditEvent):
            links = []
            for event_id, *values in rows:
                current = row_hash(values, previous)
                links.append((previous, current, event_id))
                previous = current
            cursor.executemany(
                "UPDATE audit_auditevent SET previous_hash = %s, row_hash = %s WHERE id = %s",
                links,
            )
        if postgres:
            cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_trigger")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="occurred_at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="occurred at",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_backfill, migrations.RunPython.noop),
    ]
