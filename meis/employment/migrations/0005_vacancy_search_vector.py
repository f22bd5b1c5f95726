"""The vacancies' words as a stored `tsvector` (PostgreSQL only; meis/employment/search.py).

Migration 0002 indexed the expression `to_tsvector('simple', search_text)`; a search with many
matches (a common word) reads them newest first, and computing that expression for each row it
passes cost about 19 µs a row. A generated column keeps the vector beside the row, computed
once when the row is written; the GIN index moves to it. SQLite has no such type: its search
reads `search_text` with LIKE. The table is new, so the work is done in the migration's
transaction; on a filled table add the column and build the index CONCURRENTLY first.
"""

from django.db import migrations

TABLE = "employment_vacancy"
FORWARD = (
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "DROP INDEX IF EXISTS employment_vacancy_text",
    f"CREATE INDEX IF NOT EXISTS employment_vacancy_vector ON {TABLE} "
    "USING gin (search_vector) WHERE status = 'open'",
)
BACKWARD = (
    "DROP INDEX IF EXISTS employment_vacancy_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
    f"CREATE INDEX IF NOT EXISTS employment_vacancy_text ON {TABLE} "
    "USING gin (to_tsvector('simple', search_text)) WHERE status = 'open'",
)


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("employment", "0004_status_change_call_missed")]

    operations = [migrations.RunPython(forward, backward)]
