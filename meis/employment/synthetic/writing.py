"""Writing the frames: ids after the existing rows, indexes built once, references checked once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model

from meis.core import bulk
from meis.employment.models import (
    JobSeeker,
    Referral,
    StatusChange,
    Vacancy,
)
from meis.labour.models import Occupation
from meis.registry.models import Employer, Person


def next_id(model: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
        return int(cursor.fetchone()[0])


@contextmanager
def indexes_built_at_the_end(models: list[type[Model]]) -> Iterator[None]:
    """PostgreSQL, tables that start empty: their secondary indexes (the vacancy search's GIN
    index among them) dropped and built once after the rows, in the caller's transaction.

    Maintaining a GIN index row by row costs several times one build; the definitions are
    read from the catalogue and recreated as they were, so the schema afterwards is identical
    and unique indexes check every row written. A table that has rows keeps its indexes."""
    tables = [model._meta.db_table for model in models if not model._default_manager.exists()]
    if not bulk.is_postgresql() or not tables:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i
               WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def references_verify(
    seekers: pl.DataFrame, links: pl.DataFrame, posts: pl.DataFrame, referrals: pl.DataFrame
) -> None:
    """The foreign keys `bulk.transaction_tune` left unchecked, one query per table."""
    bulk.references_verify(
        [
            (Person._meta.db_table, seekers["person_id"]),
            (
                Occupation._meta.db_table,
                pl.concat([links["occupation_id"], posts["occupation_id"]]),
            ),
            (Employer._meta.db_table, posts["employer_id"]),
            (get_user_model()._meta.db_table, referrals["referred_by_id"]),
        ]
    )


def sequences_reset() -> None:
    models: list[type[Model]] = [
        JobSeeker,
        JobSeeker.occupations.through,
        StatusChange,
        Vacancy,
        Referral,
    ]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def analyze() -> None:
    if not bulk.is_postgresql():
        return
    models: list[type[Model]] = [
        JobSeeker,
        JobSeeker.occupations.through,
        StatusChange,
        Vacancy,
        Referral,
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
