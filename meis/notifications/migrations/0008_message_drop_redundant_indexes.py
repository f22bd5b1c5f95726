"""Drop the single-column indexes Django made for Message.person and Message.template.

The inbox index (person_id, channel, created_at) serves every look-up by person, including the
foreign-key checks when a person is deleted; nothing looks messages up by template (template
versions are never deleted). Only the indexes go: Django's own AlterField would also drop and
re-add both foreign-key constraints, and re-adding one validates every message row under a lock
that blocks writes. The index names are the ones Django generated in 0001 (the same on
PostgreSQL and SQLite).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "person_id": "notifications_message_person_id_b3f94de7",
    "template_id": "notifications_message_template_id_9c9d159a",
}


def _drop(column: str) -> migrations.RunSQL:
    name = INDEXES[column]
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "notifications_message" ("{column}")',
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0007_certificate_issued_event"),
        ("registry", "0001_initial_registry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[_drop("person_id"), _drop("template_id")],
            state_operations=[
                migrations.AlterField(
                    model_name="message",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="messages",
                        to="registry.person",
                        verbose_name="person",
                    ),
                ),
                migrations.AlterField(
                    model_name="message",
                    name="template",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="notifications.template",
                        verbose_name="template version",
                    ),
                ),
            ],
        ),
    ]
