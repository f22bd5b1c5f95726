"""Hash-chain the audit trail (ADR 0022): the append-only `AuditSeal` table, refused UPDATE and
DELETE on PostgreSQL by the same trigger function as the events (0003). No backfill: the sealer
seals the events written before it on its first run, oldest first."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

CREATE = """
CREATE TRIGGER audit_auditseal_append_only
    BEFORE UPDATE OR DELETE ON audit_auditseal
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
DROP = "DROP TRIGGER IF EXISTS audit_auditseal_append_only ON audit_auditseal;"


def trigger_create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def trigger_drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


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
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("previous_hash", models.CharField(max_length=64, verbose_name="previous hash")),
                ("row_hash", models.CharField(max_length=64, verbose_name="hash")),
                ("sealed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="sealed at")),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seal",
                        to="audit.auditevent",
                        verbose_name="audit event",
                    ),
                ),
            ],
            options={"verbose_name": "audit seal", "verbose_name_plural": "audit seals"},
        ),
        migrations.RunPython(trigger_create, trigger_drop),
    ]
