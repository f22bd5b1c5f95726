"""The PostgreSQL sequence case references are drawn from (SQLite uses ReferenceCounter rows)."""

from django.db import migrations


def sequence_create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS cases_reference")


def sequence_drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS cases_reference")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases_and_documents")]

    operations = [migrations.RunPython(sequence_create, sequence_drop)]
