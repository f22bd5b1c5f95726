"""Set-based reads and writes: PostgreSQL COPY, SQLite executemany (pipeline, synthetic data).

Reads go `COPY (SELECT …) TO STDOUT` straight into Polars (no per-row Python objects); writes go
`COPY … FROM STDIN`, into a temporary table first where a conflict must be ignored
(`INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`), so the awards' idempotency is the
database's unique constraint, not a check in code.

Writes use COPY's binary format where every column's type has one here (`_BINARY_TYPES`): the
frame goes to Arrow and pgpq encodes it, so the server copies values instead of parsing CSV text
(a full run's letters, awards and results: see ADR 0013 for the measurements). A frame with a
column of another type is written as CSV.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any, cast

import polars as pl
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections
from pgpq import ArrowToPostgresBinaryEncoder
from pgpq.encoders import LargeStringEncoderBuilder
from pgpq.schema import Jsonb


def is_postgresql() -> bool:
    return bool(connection.vendor == "postgresql")


def transaction_tune(*, defer_references: bool) -> bool:
    """Settings for one chunk's transaction (PostgreSQL; they end with it).

    - no parallel query and no JIT: the id-range queries are small, two workers share two cores,
      and a parallel plan would run the membership count once per worker;
    - asynchronous commit: a crash may lose the last chunks committed, all of each or none of it
      (their checkpoint rows with them), and the resumed run does them again;
    - with `defer_references`, where the database role may (`GRANT SET ON PARAMETER session_replication_role`, or a
      superuser), foreign keys checked once per chunk by `references_verify` instead of by a
      trigger per row: the per-row check locks the referenced person row and costs more than
      writing the award itself. Unique and check constraints (idempotency, exclusivity) are
      indexes and checks, not triggers: they hold either way.

    Returns whether the foreign keys are left to `references_verify`.
    """
    if not is_postgresql():
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off; "
            "SET LOCAL synchronous_commit = off"
        )
        if not (defer_references and _may_defer_references()):
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


_may_defer: dict[str, bool] = {}


def _may_defer_references() -> bool:
    if connection.alias not in _may_defer:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('is_superuser') = 'on' "
                "OR has_parameter_privilege('session_replication_role', 'SET')"
            )
            _may_defer[connection.alias] = bool(cursor.fetchone()[0])
    return _may_defer[connection.alias]


def references_verify(references: Sequence[tuple[str, pl.Series]]) -> None:
    """Every id in each series exists in its table (name, ids); one query per table.

    The set-based stand-in for the foreign-key triggers `transaction_tune` turned off: it fails
    the chunk's transaction, as the triggers would, if a row points at nothing.
    """
    with connection.cursor() as cursor:
        for table, ids in references:
            values = ids.drop_nulls().unique().to_list()
            if not values:
                continue
            cursor.execute(
                f"SELECT x.id FROM unnest(%s::bigint[]) AS x(id) WHERE NOT EXISTS "  # noqa: S608
                f'(SELECT 1 FROM "{table}" t WHERE t.id = x.id) LIMIT 1',
                [_array_literal(values)],
            )
            missing = cursor.fetchone()
            if missing is not None:
                raise IntegrityError(f"{table} has no row with id {missing[0]}")


def frame_read(sql: str, params: Sequence[object], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run a SELECT whose columns are `schema` (in order) and return it as a typed frame."""
    with connection.cursor() as cursor:
        if is_postgresql():
            buffer = io.BytesIO()
            copy_sql = f"COPY ({sql}) TO STDOUT (FORMAT csv)"
            with cursor.cursor.copy(copy_sql, params) as copy:
                for block in copy:
                    buffer.write(block)
            strings = {name: pl.String() for name in schema}
            if buffer.tell() == 0:
                return pl.DataFrame(schema=schema)
            raw = pl.read_csv(
                buffer.getvalue(),
                has_header=False,
                new_columns=list(schema),
                schema_overrides=strings,
            )
        else:
            cursor.execute(sql, list(params))  # type: ignore[arg-type]
            rows = cursor.fetchall()
            raw = pl.DataFrame(
                [[None if v is None else str(v) for v in row] for row in rows],
                schema=dict.fromkeys(schema, pl.String()),
                orient="row",
            )
    return raw.with_columns(_typed(name, dtype) for name, dtype in schema.items())


def frame_read_ids(sql: str, ids: Sequence[int], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """`frame_read` of a SELECT whose `{ids}` placeholder takes the condition "is one of `ids`"."""
    if not ids:
        return pl.DataFrame(schema=schema)
    if is_postgresql():
        return frame_read(sql.format(ids="= ANY(%s::bigint[])"), [_array_literal(ids)], schema)
    # SQLite binds at most 32,766 values in one statement.
    parts = [list(ids[i : i + 10_000]) for i in range(0, len(ids), 10_000)]
    return pl.concat(
        frame_read(sql.format(ids=f"IN ({', '.join(['%s'] * len(part))})"), part, schema)
        for part in parts
    )


def _array_literal(ids: Sequence[int]) -> str:
    """A bigint[] parameter as PostgreSQL's text form `{1,2,3}`: the driver would otherwise
    adapt each element in Python (a chunk's tens of thousands of ids, three times)."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


def _typed(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if dtype == pl.Boolean():
        return column.is_in(["t", "true", "1", "True"]).alias(name)
    if dtype == pl.Date():
        return column.str.to_date("%Y-%m-%d").alias(name)
    return column.cast(dtype).alias(name)


def frame_write(table: str, frame: pl.DataFrame, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Append the frame's rows to `table` (columns named as the frame's) of database `using`.

    On this thread's connection to `using`: threads writing at once each use their own.
    """
    if frame.height == 0:
        return
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    # COPY runs on the driver's own cursor: its errors are turned into Django's here (an
    # IntegrityError a caller handles is Django's, whichever way the rows were written).
    with connections[using].wrap_database_errors, connections[using].cursor() as cursor:
        if connections[using].vendor == "postgresql":
            types = _column_types(table, using=using)
            binary = _binary_frame(frame, types)
            if binary is not None:
                jsonb = {name for name in frame.columns if types[name] == "jsonb"}
                sql = f'COPY "{table}" ({columns}) FROM STDIN (FORMAT binary)'
                with cursor.cursor.copy(sql) as copy:
                    for block in _binary_blocks(binary, jsonb=jsonb):
                        copy.write(block)
                return
            data = io.BytesIO()
            frame.write_csv(data, include_header=False, null_value="")
            with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN (FORMAT csv)') as copy:
                copy.write(data.getvalue())
        else:
            placeholders = ", ".join(["%s"] * frame.width)
            rows = _sqlite_rows(frame)
            cursor.executemany(
                f'INSERT INTO "{table}" ({columns}) VALUES ({placeholders})',  # noqa: S608
                cast(list[Any], rows),
            )


# PostgreSQL type → the Polars type whose Arrow form pgpq writes in that type's binary format.
# A uuid is its 16 bytes (binary `bytea` and `uuid` are both the raw bytes); jsonb is text with
# jsonb's version byte (pgpq's Jsonb output); timestamps are microseconds in UTC.
_BINARY_TYPES: dict[str, pl.DataType] = {
    "bigint": pl.Int64(),
    "integer": pl.Int32(),
    "smallint": pl.Int16(),
    "boolean": pl.Boolean(),
    "text": pl.String(),
    "character varying": pl.String(),
    "jsonb": pl.String(),
    "uuid": pl.Binary(),
    "date": pl.Date(),
    "timestamp with time zone": pl.Datetime("us", "UTC"),
}
_column_types_cache: dict[tuple[str, str], dict[str, str]] = {}


def _column_types(table: str, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """Column name → PostgreSQL type name (without length), read once per table and process."""
    key = (using, table)
    if key not in _column_types_cache:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [f'"{table}"'],
            )
            types = {name: re.sub(r"\(.*\)$", "", kind) for name, kind in cursor.fetchall()}
        if table.endswith("_staging"):
            return types  # a temporary table: recreated per chunk, not worth remembering
        _column_types_cache[key] = types
    return _column_types_cache[key]


def _binary_frame(frame: pl.DataFrame, types: dict[str, str]) -> pl.DataFrame | None:
    """The frame in the Polars types `_BINARY_TYPES` names for its columns, or None."""
    converted = []
    for name, dtype in frame.schema.items():
        kind = types.get(name, "")
        if kind not in _BINARY_TYPES:
            return None
        column = pl.col(name)
        if kind == "uuid" and dtype != pl.Binary():
            converted.append(column.cast(pl.String).str.replace_all("-", "").str.decode("hex"))
        elif kind == "timestamp with time zone" and dtype == pl.String():
            converted.append(column.str.to_datetime(time_unit="us", time_zone="UTC"))
        elif kind == "timestamp with time zone" and isinstance(dtype, pl.Datetime):
            if dtype.time_zone is None:
                column = column.dt.replace_time_zone("UTC")
            converted.append(column.dt.convert_time_zone("UTC").dt.cast_time_unit("us"))
        elif kind == "date" and dtype == pl.String():
            converted.append(column.str.to_date("%Y-%m-%d"))
        else:
            converted.append(column.cast(_BINARY_TYPES[kind]))
    return frame.select(converted)


def _binary_blocks(frame: pl.DataFrame, *, jsonb: set[str]) -> list[bytes]:
    """The frame as PostgreSQL's binary COPY stream (header, one block per batch, trailer)."""
    arrow = frame.to_arrow(compat_level=pl.CompatLevel.oldest())
    encoders = {
        field.name: (
            LargeStringEncoderBuilder.new_with_output(field, Jsonb())
            if field.name in jsonb
            else ArrowToPostgresBinaryEncoder.infer_encoder(field)
        )
        for field in arrow.schema
    }
    encoder = ArrowToPostgresBinaryEncoder.new_with_encoders(arrow.schema, encoders)
    blocks = [encoder.write_header()]
    blocks += [encoder.write_batch(batch) for batch in arrow.to_batches()]
    blocks.append(encoder.finish())
    return blocks


def ids_reserve(table: str, count: int) -> list[int]:
    """`count` new ids of `table`'s `id` column, for rows written by `frame_write` (COPY does
    not return the ids it assigns).

    PostgreSQL draws them from the column's sequence, so concurrent writers never share one.
    SQLite continues after the largest id: call it only in a transaction that has written
    already, as SQLite then holds the database's one write lock until the commit.
    """
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        if is_postgresql():
            # The sequence's name first, once: inside the SELECT, pg_get_serial_sequence would be
            # looked up in the catalogue again for every id (ten times the cost of nextval).
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
            sequence = cursor.fetchone()[0]
            # As one text value: a process's first fetch of as many rows costs ten times more.
            cursor.execute(
                "SELECT string_agg(nextval(%s::regclass)::text, ',') FROM generate_series(1, %s)",
                [sequence, count],
            )
            return [int(value) for value in cursor.fetchone()[0].split(",")]
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
        first = int(cursor.fetchone()[0]) + 1
    return list(range(first, first + count))


# From this many rows, PostgreSQL first tries the rows straight into the table (see below).
DIRECT_INSERT_MIN_ROWS = 1_000


def frame_insert_ignoring_conflicts(
    table: str, frame: pl.DataFrame, *, returning: dict[str, pl.DataType]
) -> pl.DataFrame:
    """Insert rows, skipping any that break a unique constraint; returns the inserted rows'
    `returning` columns (name → type).

    On PostgreSQL a large frame is first copied straight into the table, its ids drawn from the
    table's sequence beforehand, in a savepoint: a full run's chunk usually conflicts with
    nothing (its candidates exclude holders), and this writes each row once instead of through
    a staging table. Only when a unique constraint is hit does it roll back to the savepoint and
    take the staging path, which skips the conflicting rows.
    """
    if frame.height == 0:
        return pl.DataFrame(schema=returning)
    if is_postgresql() and frame.height >= DIRECT_INSERT_MIN_ROWS:
        inserted = _insert_unless_conflict(table, frame, returning=returning)
        if inserted is not None:
            return inserted
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    back = ", ".join(f'"{c}"' for c in returning)
    staging = f"{table}_staging"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS "{staging}"')
        cursor.execute(
            f'CREATE TEMPORARY TABLE "{staging}" AS SELECT {columns} FROM "{table}" WHERE 1 = 0'  # noqa: S608
        )
        frame_write(staging, frame)
        # Read back as `frame_read` reads a SELECT (COPY on PostgreSQL): no Python row objects.
        inserted = frame_read(
            f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "{staging}" '  # noqa: S608
            f"WHERE true ON CONFLICT DO NOTHING RETURNING {back}",
            [],
            returning,
        )
        cursor.execute(f'DROP TABLE "{staging}"')
    return inserted


def _insert_unless_conflict(
    table: str, frame: pl.DataFrame, *, returning: dict[str, pl.DataType]
) -> pl.DataFrame | None:
    """COPY the rows (with ids reserved from the sequence) in a savepoint; None on a conflict."""
    from django.db import transaction

    missing = [name for name in returning if name not in frame.columns]
    if missing not in ([], ["id"]):
        return None  # something only the database knows: let RETURNING say it
    rows = frame
    if missing:
        rows = frame.with_columns(id=pl.Series(ids_reserve(table, frame.height), dtype=pl.Int64))
    try:
        with transaction.atomic():
            frame_write(table, rows)
    except IntegrityError:
        return None
    return rows.select(pl.col(name).cast(dtype) for name, dtype in returning.items())


def _sqlite_rows(frame: pl.DataFrame) -> list[tuple[object, ...]]:
    converted = frame.with_columns(
        pl.col(pl.Date).cast(pl.String), pl.col(pl.Datetime).dt.to_string("%Y-%m-%d %H:%M:%S.%f")
    )
    return converted.rows()
