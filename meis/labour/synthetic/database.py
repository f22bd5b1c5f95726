"""Reading the registry and writing the register, on one database connection (`using`).

Reads go through COPY … TO STDOUT on PostgreSQL (no Python object per row) and `fetchall` on
SQLite; writes through `meis.core.bulk.frame_write` (binary COPY, or `executemany`).
`meis.core.bulk.frame_read` reads the default database only, hence the small reader here.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import polars as pl
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections

from meis.core import bulk
from meis.insurance.models import InsuranceAccount
from meis.labour.models import Contract, ContractVersion, Occupation, TerminationGround
from meis.registry.models import Employer, Person
from meis.registry.synthetic.base import random_stream
from meis.registry.synthetic.households import REGIONS
from meis.rules.store import default_store

from .careers import NEVER, People
from .rows import BlockRows, Context
from .terms import Employers, Grounds, Occupations, Pay, whole_value

EMPLOYER_WEIGHTS_STREAM = 1_000_000_021


def frame_read(
    sql: str, params: Sequence[int], schema: dict[str, pl.DataType], *, using: str
) -> pl.DataFrame:
    """Run a SELECT whose columns are `schema` (in order) on `using`; a typed frame."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:
                for block in copy:
                    buffer.write(block)
            if buffer.tell() == 0:
                return pl.DataFrame(schema=schema)
            raw = pl.read_csv(
                buffer.getvalue(),
                has_header=False,
                new_columns=list(schema),
                schema_overrides=dict.fromkeys(schema, pl.String()),
            )
        else:
            cursor.execute(sql, list(params))
            raw = pl.DataFrame(
                [[None if v is None else str(v) for v in row] for row in cursor.fetchall()],
                schema=dict.fromkeys(schema, pl.String()),
                orient="row",
            )
    return raw.with_columns(_typed(name, dtype) for name, dtype in schema.items())


def _typed(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if dtype == pl.Boolean():
        return column.is_in(["t", "true", "1", "True"]).alias(name)
    if dtype == pl.Date():
        return column.str.slice(0, 10).str.to_date("%Y-%m-%d").alias(name)
    return column.cast(dtype).alias(name)


def context_read(*, seed: int, as_of: datetime.date, using: str) -> Context:
    """The employers (weighted by the seed), the classifiers and the pay rules."""
    employers = frame_read(
        """SELECT id, sector, region, legal_form,
                  CASE WHEN address = '' THEN name ELSE address END
           FROM registry_employer ORDER BY id""",
        [],
        {
            "id": pl.Int64(),
            "sector": pl.String(),
            "region": pl.String(),
            "legal_form": pl.String(),
            "workplace": pl.String(),
        },
        using=using,
    )
    occupations = frame_read(
        "SELECT id, code, title_az FROM labour_occupation WHERE is_active ORDER BY code",
        [],
        {"id": pl.Int64(), "code": pl.String(), "title_az": pl.String()},
        using=using,
    )
    grounds = frame_read(
        "SELECT id, code, initiated_by FROM labour_terminationground WHERE is_active ORDER BY code",
        [],
        {"id": pl.Int64(), "code": pl.String(), "initiated_by": pl.String()},
        using=using,
    )
    store = default_store()
    minimum_age_months = whole_value(store.value("labour.minimum_employment_age", on=as_of))
    return Context(
        employers=Employers.weighted(employers, random_stream(seed, EMPLOYER_WEIGHTS_STREAM)),
        occupations=Occupations.from_frame(occupations),
        pay=Pay.from_rules(store, as_of),
        grounds=Grounds.from_frame(grounds),
        as_of=as_of,
        minimum_age=minimum_age_months // 12,
    )


def person_bounds(*, using: str) -> tuple[int, int]:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM registry_person")
        low, high = cursor.fetchone()
    return int(low or 1), int(high or 0)


def people_read(low: int, high: int, *, using: str) -> pl.DataFrame:
    """The people with ids in [low, high), ordered by id."""
    return frame_read(
        """SELECT id, birth_on, died_on, sex, region FROM registry_person
           WHERE id >= %s AND id < %s ORDER BY id""",
        [low, high],
        {
            "id": pl.Int64(),
            "birth_on": pl.Date(),
            "died_on": pl.Date(),
            "sex": pl.String(),
            "region": pl.String(),
        },
        using=using,
    )


def people_arrays(frame: pl.DataFrame) -> People:
    died = frame["died_on"].cast(pl.Int32).cast(pl.Int64).fill_null(NEVER).to_numpy()
    region = frame["region"].replace_strict(
        [str(r) for r in REGIONS], list(range(len(REGIONS))), default=0, return_dtype=pl.Int64
    )
    return People(
        id=frame["id"].to_numpy(),
        birth_day=frame["birth_on"].cast(pl.Int32).cast(pl.Int64).to_numpy(),
        died_day=died,
        is_male=(frame["sex"] == "M").to_numpy(),
        region=region.to_numpy(),
    )


def rows_write(rows: BlockRows, *, using: str) -> None:
    """One batch's contracts and versions, in the caller's transaction.

    On the default PostgreSQL database, where the role may, the foreign keys are checked once
    per batch by `bulk.references_verify` instead of by a trigger per row
    (`bulk.transaction_tune`): Django's foreign keys are deferred to the commit, where 2 M
    per-row checks cost more than writing the rows. `meis.core.bulk`'s tuning works on the
    default connection only; another database is written with the triggers on.
    """
    deferred = using == DEFAULT_DB_ALIAS and bulk.transaction_tune(defer_references=True)
    bulk.frame_write(Contract._meta.db_table, rows.contracts, using=using)
    bulk.frame_write(ContractVersion._meta.db_table, rows.versions, using=using)
    if deferred:
        contracts, versions = rows.contracts, rows.versions
        bulk.references_verify(
            [
                (Person._meta.db_table, contracts["person_id"]),
                (Employer._meta.db_table, contracts["employer_id"]),
                (Occupation._meta.db_table, contracts["occupation_id"]),
                (TerminationGround._meta.db_table, contracts["termination_ground_id"]),
                (Contract._meta.db_table, versions["contract_id"]),
            ]
        )


def accounts_open(first_starts: pl.DataFrame, *, using: str) -> tuple[int, int]:
    """The first contract opens the person's insurance account (docs/domain.md §6).

    An existing account (the life-event facts give most people one, with their record and
    capital) only gets its opening date; a missing one is created as the register's
    notification creates it — empty, updated on its opening day — for the monthly accrual to
    fill. Returns (created, dated).
    """
    if first_starts.height == 0:
        return 0, 0
    ids = first_starts["person_id"]
    have = frame_read(
        "SELECT person_id FROM insurance_insuranceaccount WHERE person_id >= %s AND person_id <= %s",
        [int(ids.min()), int(ids.max())],  # type: ignore[arg-type]
        {"person_id": pl.Int64()},
        using=using,
    )["person_id"]
    existing = first_starts.filter(pl.col("person_id").is_in(have.implode()))
    missing = first_starts.filter(~pl.col("person_id").is_in(have.implode()))
    bulk.frame_write(
        InsuranceAccount._meta.db_table,
        missing.select(
            "person_id",
            record_months=pl.lit(0, pl.Int64),
            pension_capital_qepik=pl.lit(0, pl.Int64),
            pre_2006_capital_qepik=pl.lit(0, pl.Int64),
            updated_on="opened_on",
            opened_on="opened_on",
        ),
        using=using,
    )
    _opening_dates_set(existing, using=using)
    return missing.height, existing.height


def _opening_dates_set(frame: pl.DataFrame, *, using: str) -> None:
    if frame.height == 0:
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """UPDATE insurance_insuranceaccount a SET opened_on = v.opened_on
                   FROM unnest(%s::bigint[], %s::date[]) AS v(person_id, opened_on)
                   WHERE a.person_id = v.person_id""",
                [frame["person_id"].to_list(), frame["opened_on"].to_list()],
            )
        else:
            cursor.executemany(
                "UPDATE insurance_insuranceaccount SET opened_on = %s WHERE person_id = %s",
                [
                    (str(day), person)
                    for person, day in frame.select("person_id", "opened_on").rows()
                ],
            )


@contextmanager
def indexes_built_at_the_end(*, using: str) -> Iterator[None]:
    """PostgreSQL, outside a transaction: build the register's secondary indexes once, at the end.

    Maintaining ten indexes on contracts and seven on versions row by row costs more than
    writing the rows; one sorted build each at the end is about a third faster in all (1 M
    people: 69 s → 44 s). The register starts empty (`contracts_generate` refuses otherwise);
    the indexes and unique constraints are recreated from their catalogue definitions, so the
    schema afterwards is identical and the unique ones (one main job, one live contract per
    employer, one version number) are checked over every row written. The technique and the
    catalogue queries are those of `meis.registry.synthetic.writing.constraints_deferred_to_
    the_end`, for other tables. Inside a transaction (tests) nothing changes.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    tables = [Contract._meta.db_table, ContractVersion._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
               FROM pg_constraint c
               WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype = 'u'""",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i
               WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in constraints:
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
            for table, name, definition in constraints:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def next_ids(*, using: str) -> tuple[int, int]:
    """The first free contract and version ids."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM labour_contract")
        contract = cursor.fetchone()[0]
        cursor.execute("SELECT MAX(id) FROM labour_contractversion")
        version = cursor.fetchone()[0]
    return int(contract or 0) + 1, int(version or 0) + 1


def finish(*, using: str) -> None:
    """Move the id sequences past the ids written; refresh the planner's statistics."""
    connection = connections[using]
    models = [Contract, ContractVersion, InsuranceAccount]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            for model in models:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
