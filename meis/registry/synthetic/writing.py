"""Writing: frames into the registry tables through `meis.core.bulk.frame_write`.

PostgreSQL gets COPY, SQLite `executemany`, one transaction per batch. On PostgreSQL, outside a
transaction, generation, parent rows and child rows overlap on three threads
(`write_pipelined`), and a load into empty tables drops the secondary indexes and constraints
and rebuilds them once at the end (`constraints_deferred_to_the_end`).
"""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl
from django.core.management.color import no_style
from django.db import connections, transaction

from meis.core import bulk
from meis.registry.models import Employer, Household, HouseholdMembership, IdentityDocument, Person

from .rows import Frames

BULK_TABLES = (
    Person._meta.db_table,
    Household._meta.db_table,
    IdentityDocument._meta.db_table,
    HouseholdMembership._meta.db_table,
    Employer._meta.db_table,
)


@dataclass
class Writer:
    """Writes frames into the registry tables of one database connection."""

    using: str
    created_at: datetime.datetime

    def write(self, table: str, frame: pl.DataFrame, *, timestamps: bool = True) -> None:
        if timestamps:
            # UTC without a zone, as Django stores it in SQLite; bulk reads it as UTC.
            stamp = self.created_at.astimezone(datetime.UTC).replace(tzinfo=None)
            text = stamp.isoformat(sep=" ", timespec="microseconds")
            frame = frame.with_columns(created_at=pl.lit(text), updated_at=pl.lit(text))
        bulk.frame_write(table, frame, using=self.using)

    def write_people(self, frames: Frames) -> None:
        with transaction.atomic(using=self.using):
            self.write_parents(frames)
            self.write_children(frames)

    def write_parents(self, frames: Frames) -> None:
        with transaction.atomic(using=self.using):
            self.write(Person._meta.db_table, frames.persons)
            self.write(Household._meta.db_table, frames.households)

    def write_children(self, frames: Frames) -> None:
        with transaction.atomic(using=self.using):
            self.write(IdentityDocument._meta.db_table, frames.documents)
            self.write(HouseholdMembership._meta.db_table, frames.memberships, timestamps=False)

    def write_employers(self, frame: pl.DataFrame) -> None:
        with transaction.atomic(using=self.using):
            self.write(Employer._meta.db_table, frame)

    def finish(self) -> None:
        """Move the id sequences past the ids written; refresh the planner's statistics."""
        connection = connections[self.using]
        models = [Person, Household, IdentityDocument, HouseholdMembership, Employer]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                for model in models:
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')


@contextmanager
def constraints_deferred_to_the_end(*, using: str) -> Iterator[None]:
    """PostgreSQL bulk load into empty tables: build indexes and check foreign keys once, at the end.

    Inserting into a B-tree row by row (random FİNs, document numbers) and checking a foreign key
    per row by trigger cost far more than one sorted index build and one set-based validation —
    the technique pg_restore uses. Secondary indexes, unique and foreign-key constraints of the
    registry tables are dropped here and recreated from their exact catalogue definitions on
    exit, so the schema afterwards is identical; rebuilding is part of the measured load time.
    Primary keys and check constraints stay. Only for tables that start empty.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('f', 'u')
            ORDER BY c.contype
            """,
            [list(BULK_TABLES)],
        )
        constraints = cursor.fetchall()  # foreign keys ('f') sort before unique ('u')
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [list(BULK_TABLES)],
        )
        indexes = cursor.fetchall()
        for table, name, _definition, _kind in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            for table, name, definition, _kind in reversed(constraints):  # unique, then FKs
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def write_pipelined(
    writer: Writer, batches: Iterator[Frames], *, progress: Callable[[int], object] | None
) -> None:
    """Overlap generation, parent rows and child rows on PostgreSQL (three threads).

    Batch k's persons and households commit on one connection while batch k-1's documents and
    memberships commit on another and batch k+1 is generated; a child batch starts only after
    its parents committed, so every foreign key is satisfied. At most two batches are in flight.
    """

    def parents_then_children(parent: Future[None], frames: Frames) -> int:
        parent.result()
        writer.write_children(frames)
        return len(frames)

    def report(done: Future[int]) -> None:
        people = done.result()
        if progress:
            progress(people)

    in_flight: deque[Future[int]] = deque()
    parents = ThreadPoolExecutor(1, thread_name_prefix="registry-parents")
    children = ThreadPoolExecutor(1, thread_name_prefix="registry-children")
    try:
        for frames in batches:
            parent = parents.submit(writer.write_parents, frames)
            in_flight.append(children.submit(parents_then_children, parent, frames))
            while len(in_flight) > 2:
                report(in_flight.popleft())
        while in_flight:
            report(in_flight.popleft())
    finally:
        for pool in (parents, children):
            # Each worker closes its own thread's connection before the pool shuts down.
            pool.submit(connections.close_all).result()
            pool.shutdown(cancel_futures=True)
