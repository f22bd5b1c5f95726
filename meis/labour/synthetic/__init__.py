"""Synthetic contracts register: the employment contracts of an existing synthetic registry.

`contracts_generate(seed=S, as_of=D)` gives the people already in the registry the contract
histories the register would hold on the morning of D: every contract concluded since the
register started on 1 Jul 2014 (and those in force then, notified by the extended deadline of
1 Oct 2014; docs/domain.md §6), with the notifications that made each version, and opens the
insurance account each first contract opens. Run it after `meis registry generate` (and its
facts: they skip people who already have an account).

* **At scale.** Per 10 M people of the registry's age pyramid on 1 Mar 2020: about 1.85 M
  contracts in force, about 1.0 M concluded and 0.94 M terminated a year (docs/domain.md §12:
  1.692 M on 1 Jan 2020, 1.0–1.2 M new and 0.8–1.0 M terminated a year [S]); fixed-term about
  15 % and secondary jobs about 5 % of those in force [M]; contracts by sector state 55 % [D],
  oil 3 % [M], non-oil private 42 % [D] (`terms.SECTOR_SHARES`). Figures scale with the people.
* **Realistic.** Only people aged 15 or more (`labour.minimum_employment_age`), alive, mostly
  18–63; one main job at a time, never two live contracts with one employer; wages log-normal
  around the year's national average wage and never below the minimum wage for the hours on
  the first day (the rules' `minimum_wage` scheme), raised by amendment when the minimum rises;
  terminations on cited grounds (`meis/labour/data/termination_grounds.yaml`); a few suspended;
  about 3.5 % of notifications late. The model: `careers` (when), `terms` (what), `notices`
  (which notifications), `rows`.
* **Deterministic.** People are taken in blocks of `BLOCK` consecutive ids; block *k* draws from
  `random_stream(seed, CONTRACTS_STREAM, k)` and employers' sizes from a stream of their own, so
  the same seed, `as_of` and registry give the same rows whatever the batch size.
* **Vectorised, bounded memory.** Every step is a numpy or Polars column operation over a
  block; batches of blocks are written in one transaction each through `meis.core.bulk`
  (`database`): binary COPY on PostgreSQL, `executemany` on SQLite. On PostgreSQL outside a
  transaction the register's indexes are built once at the end (1 M people: 27.6 s, 674 k
  contracts, 1.29 M versions, peak 584 MiB, `bench/labour_generate.py`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import polars as pl
from django.db import transaction

from meis.labour.models import Contract
from meis.registry.synthetic.base import GeneratorError, random_stream

from . import database
from .careers import REGISTER_START
from .rows import BlockRows, Context, block_rows

BLOCK = 65_536
CONTRACTS_STREAM = 1_000_000_019
DEFAULT_BATCH_SIZE = 4 * BLOCK

__all__ = [
    "BLOCK",
    "DEFAULT_BATCH_SIZE",
    "ContractsResult",
    "GeneratorError",
    "contracts_generate",
]


@dataclass(frozen=True)
class ContractsResult:
    people: int  # read from the registry
    contracts: int
    in_force: int  # active or suspended on `as_of`
    suspended: int
    versions: int
    late_versions: int
    accounts_created: int
    accounts_dated: int  # existing accounts given their opening date

    @property
    def terminated(self) -> int:
        return self.contracts - self.in_force


def contracts_generate(
    *,
    seed: int,
    as_of: datetime.date,
    using: str = "default",
    progress: Callable[[int], object] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ContractsResult:
    """Generate the register's contracts for everyone in the registry, as it stood on `as_of`.

    Refuses (GeneratorError) a register that already holds contracts. `progress(n)` is called
    after each batch with the number of people it covered.
    """
    if as_of <= REGISTER_START:
        raise GeneratorError(f"the register started on {REGISTER_START}; pick a later date")
    if batch_size <= 0:
        raise GeneratorError("the batch size must be positive")
    if Contract.objects.using(using).exists():
        raise GeneratorError(
            "the register already holds contracts; generate into a registry without them"
        )
    context = database.context_read(seed=seed, as_of=as_of, using=using)
    low, high = database.person_bounds(using=using)
    contract_id, version_id = database.next_ids(using=using)
    totals = dict.fromkeys(ContractsResult.__dataclass_fields__, 0)
    with database.indexes_built_at_the_end(using=using):
        for blocks in _batches(low, high, batch_size):
            people = database.people_read(
                blocks[0] * BLOCK + 1, (blocks[-1] + 1) * BLOCK + 1, using=using
            )
            rows = _batch_rows(seed, people, blocks, context, contract_id, version_id)
            if rows is None:
                continue
            contract_id += rows.contracts.height
            version_id += rows.versions.height
            with transaction.atomic(using=using):
                database.rows_write(rows, using=using)
                created, dated = database.accounts_open(rows.first_starts, using=using)
            _count(totals, people.height, rows, created, dated)
            if progress:
                progress(people.height)
    database.finish(using=using)
    return ContractsResult(**totals)


def _batches(low: int, high: int, batch_size: int) -> Iterator[range]:
    """The block numbers of each batch: whole blocks, about `batch_size` people's ids each."""
    per_batch = max(1, batch_size // BLOCK)
    first, last = (low - 1) // BLOCK, (high - 1) // BLOCK
    for start in range(first, last + 1, per_batch):
        yield range(start, min(start + per_batch, last + 1))


def _batch_rows(
    seed: int,
    people: pl.DataFrame,
    blocks: range,
    context: Context,
    contract_id: int,
    version_id: int,
) -> BlockRows | None:
    """The rows of a batch's blocks, each block from its own stream; ids continue in order."""
    contracts: list[pl.DataFrame] = []
    versions: list[pl.DataFrame] = []
    for block_no in blocks:
        members = people.filter((pl.col("id") - 1) // BLOCK == block_no)
        if members.height == 0:
            continue
        rows = block_rows(
            random_stream(seed, CONTRACTS_STREAM, block_no),
            database.people_arrays(members),
            context,
            first_contract_id=contract_id + sum(c.height for c in contracts),
            first_version_id=version_id + sum(v.height for v in versions),
        )
        contracts.append(rows.contracts)
        versions.append(rows.versions)
    if not contracts:
        return None
    return BlockRows(pl.concat(contracts), pl.concat(versions))


def _count(totals: dict[str, int], people: int, rows: BlockRows, created: int, dated: int) -> None:
    status = rows.contracts["status"]
    totals["people"] += people
    totals["contracts"] += rows.contracts.height
    totals["in_force"] += int((status != "terminated").sum())
    totals["suspended"] += int((status == "suspended").sum())
    totals["versions"] += rows.versions.height
    totals["late_versions"] += int(rows.versions["is_late"].sum())
    totals["accounts_created"] += created
    totals["accounts_dated"] += dated
