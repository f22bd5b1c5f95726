"""`meis labour_generate`: the contracts register of a synthetic country.

    meis labour_generate [--seed 1] [--as-of 2020-03-01] [--batch-size 262144] [--quiet]
                         [--database default]

Gives the people already in the registry (`meis registry generate`) the contract histories the
register would hold on the morning of `--as-of`, since the register started on 1 Jul 2014, with
every notification and the insurance accounts their first contracts open
(`meis.labour.synthetic`). Run it after the registry and its facts: the facts generator skips
people who already have an account. The same seed, date and registry give the same rows,
whatever the batch size. A register that already holds contracts is refused.
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from tqdm import tqdm

from meis.labour.synthetic import (
    DEFAULT_BATCH_SIZE,
    ContractsResult,
    GeneratorError,
    contracts_generate,
)


def _whole(value: object, *, option: str, minimum: int) -> int:
    try:
        number = int(str(value).replace("_", ""))
    except ValueError:
        raise CommandError(f"{option} must be a whole number; got {value!r}.") from None
    if number < minimum:
        raise CommandError(f"{option} must be at least {minimum}; got {number}.")
    return number


def _date(value: str | None) -> datetime.date:
    if value is None:
        return datetime.date.today()  # noqa: DTZ011 — a civil date; pin it with --as-of
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date like 2020-03-01; got {value!r}.") from None


class Command(BaseCommand):
    help = "Generate the synthetic contracts register for the people already in the registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = __doc__
        parser.add_argument("--seed", default="1", help="Random seed (default 1).")
        parser.add_argument(
            "--as-of", help="The morning the register is generated for (default today)."
        )
        parser.add_argument(
            "--batch-size",
            default=str(DEFAULT_BATCH_SIZE),
            help=f"People per write batch (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        seed = _whole(options["seed"], option="--seed", minimum=0)
        batch_size = _whole(options["batch_size"], option="--batch-size", minimum=1)
        as_of = _date(options["as_of"])
        using = options["database"]
        if using not in connections:
            raise CommandError(f"Unknown database alias {using!r}.")
        bar = tqdm(unit=" people", unit_scale=True, disable=options["quiet"], file=sys.stderr)
        try:
            result = contracts_generate(
                seed=seed, as_of=as_of, using=using, batch_size=batch_size, progress=bar.update
            )
        except GeneratorError as error:
            raise CommandError(f"Cannot generate: {error}.") from None
        except DatabaseError as error:
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise CommandError(
                f"Cannot write to database {using!r}: {first} "
                "(check DATABASE_URL and run `meis migrate`)."
            ) from None
        finally:
            bar.close()
        self.stdout.write(_report(result, seed=seed, as_of=as_of))


def _report(result: ContractsResult, *, seed: int, as_of: datetime.date) -> str:
    return (
        f"Generated {result.contracts:,} contracts for {result.people:,} people "
        f"(seed {seed}, as of {as_of.isoformat()}): {result.in_force:,} in force "
        f"({result.suspended:,} suspended), {result.terminated:,} terminated; "
        f"{result.versions:,} notifications ({result.late_versions:,} late); insurance accounts "
        f"opened {result.accounts_created + result.accounts_dated:,} "
        f"({result.accounts_created:,} new)."
    )
