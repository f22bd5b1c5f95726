"""The public vacancy search's indexes, on PostgreSQL only (meis/employment/search.py).

- a GIN index on `to_tsvector('simple', search_text)` of the open vacancies: the full-text match;
- btree indexes of the open vacancies in "newest first" order, alone and by region and by
  occupation: a page of a search without words (or with many matches) reads its rows in order
  and stops, instead of sorting every open vacancy.

All are partial (status 'open'): the filled, expired and withdrawn vacancies, which accumulate
for ever, are never searched. SQLite has no full-text operator of this kind; its search reads
`search_text` with LIKE and needs no index at a laptop's size. The table is new, so the indexes
are built in the migration's transaction; on a filled table, build them CONCURRENTLY first.
"""

from django.db import migrations

TABLE = "employment_vacancy"
INDEXES = {
    "employment_vacancy_text": (
        f"CREATE INDEX IF NOT EXISTS employment_vacancy_text ON {TABLE} "
        "USING gin (to_tsvector('simple', search_text)) WHERE status = 'open'"
    ),
    "employment_vacancy_newest": (
        f"CREATE INDEX IF NOT EXISTS employment_vacancy_newest ON {TABLE} "
        "(posted_at DESC, id DESC) WHERE status = 'open'"
    ),
    "employment_vacancy_region_newest": (
        f"CREATE INDEX IF NOT EXISTS employment_vacancy_region_newest ON {TABLE} "
        "(region, posted_at DESC, id DESC) WHERE status = 'open'"
    ),
    "employment_vacancy_occupation_newest": (
        f"CREATE INDEX IF NOT EXISTS employment_vacancy_occupation_newest ON {TABLE} "
        "(occupation_id, posted_at DESC, id DESC) WHERE status = 'open'"
    ),
}


def indexes_create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in INDEXES.values():
            schema_editor.execute(statement)


def indexes_drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("employment", "0001_job_seekers_vacancies_referrals")]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
