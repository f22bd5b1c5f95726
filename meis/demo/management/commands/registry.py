"""`meis registry generate`: a synthetic country, with the facts the proactive schemes read.

    meis registry generate --people 1000000 [--seed 1] [--as-of 2020-03-01] [--batch-size 100000]
                           [--append] [--no-facts] [--quiet] [--database default]

Writes people in households, their identity documents and employers (`meis.registry.synthetic`),
then their insurance accounts, disability decisions, births and household means
(`meis.lifeevents.synthetic`, as `meis proactive generate-facts` does, with the same seed and on
the `--as-of` date), so a full proactive run has people to grant to. The same seed and `--as-of`
give the same rows, whatever the batch size. The registry must be empty, or `--append` adds the
new people after the existing ones with fresh identifiers, and facts to the people who have none.
`--no-facts` writes the registry alone.

The command lives in meis.demo, the composition root of synthetic data: the registry sits below
the life-event facts and cannot call them.
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from tqdm import tqdm

from meis.labour.models import Contract
from meis.labour.synthetic import contracts_generate
from meis.lifeevents.synthetic import FactsResult, facts_generate
from meis.registry.synthetic import (
    DEFAULT_BATCH_SIZE,
    GenerateResult,
    GeneratorError,
    registry_generate,
)
from meis.veterans.synthetic import veterans_generate


def _positive_int(value: object, *, option: str, minimum: int = 1) -> int:
    try:
        number = int(str(value).replace("_", ""))
    except ValueError:
        raise CommandError(f"{option} must be a whole number; got {value!r}.") from None
    if number < minimum:
        raise CommandError(f"{option} must be at least {minimum}; got {number}.")
    return number


def _as_of(value: str | None) -> datetime.date:
    if value is None:
        return datetime.date.today()  # noqa: DTZ011 — a civil date; pin it with --as-of
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date like 2020-03-01; got {value!r}.") from None


def _one_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class Command(BaseCommand):
    help = "Registry tools. `generate` fills the registry with a synthetic country and its facts."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        generate = actions.add_parser(
            "generate",
            help="Generate synthetic people, households, identity documents, employers and the "
            "facts proactive runs read (insurance accounts, disability decisions, births, means).",
            description=__doc__,
        )
        # Numbers are parsed in handle() so that bad values give a one-line CommandError.
        generate.add_argument("--people", required=True, help="How many people (N > 0).")
        generate.add_argument("--seed", default="1", help="Random seed (default 1).")
        generate.add_argument(
            "--batch-size",
            default=str(DEFAULT_BATCH_SIZE),
            help=f"People per write batch (default {DEFAULT_BATCH_SIZE}).",
        )
        generate.add_argument(
            "--as-of",
            help="The date ages, document validity and the facts refer to (default today).",
        )
        generate.add_argument(
            "--append",
            action="store_true",
            help="Add to a registry that already has people (identifiers continue after theirs).",
        )
        generate.add_argument(
            "--no-facts",
            action="store_true",
            help="The registry only: no insurance accounts, disability decisions, births or "
            "household means (`meis proactive generate-facts` adds them later).",
        )
        generate.add_argument(
            "--no-contracts",
            action="store_true",
            help="Do not generate the employment-contracts register's history since July 2014 "
            "(`meis labour_generate` adds it later).",
        )
        generate.add_argument("--quiet", action="store_true", help="No progress bar.")
        generate.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "generate":
            self.generate(**options)

    def generate(self, **options: Any) -> None:
        people = _positive_int(options["people"], option="--people")
        seed = _positive_int(options["seed"], option="--seed", minimum=0)
        batch_size = _positive_int(options["batch_size"], option="--batch-size")
        as_of = _as_of(options["as_of"])
        using = options["database"]
        if using not in connections:
            raise CommandError(f"Unknown database alias {using!r}.")
        with_facts = not options["no_facts"]
        if with_facts and using != DEFAULT_DB_ALIAS:
            raise CommandError(
                f"Facts are written to the {DEFAULT_DB_ALIAS!r} database only; "
                f"pass --no-facts to generate the registry alone into {using!r}."
            )
        try:
            result = self.registry(
                people=people,
                seed=seed,
                as_of=as_of,
                batch_size=batch_size,
                append=options["append"],
                using=using,
                quiet=options["quiet"],
            )
            facts = facts_generate(seed=seed, on=as_of) if with_facts else None
            # The Presidential stipends' registers (docs/domain.md §5) beside the other facts.
            if with_facts:
                veterans_generate(seed=seed, on=as_of)
            # After the facts: the facts generator skips people who already have an account,
            # and the register opens accounts (docs/domain.md §6).
            contracts = (
                None
                if not with_facts
                or options["no_contracts"]
                or Contract.objects.using(using).exists()
                else contracts_generate(seed=seed, as_of=as_of, using=using)
            )
        except GeneratorError as error:
            raise CommandError(f"Cannot generate: {error}.") from None
        except DatabaseError as error:
            raise CommandError(
                f"Cannot write to database {using!r}: {_one_line(error)} "
                "(check DATABASE_URL and run `meis migrate`)."
            ) from None
        self.report(result, facts, seed=seed, as_of=as_of)
        if contracts is not None:
            self.stdout.write(
                f"Contracts register: {contracts.contracts:,} contracts since July 2014, "
                f"{contracts.in_force:,} in force, {contracts.versions:,} notifications."
            )
        elif with_facts and not options["no_contracts"]:
            self.stdout.write("Contracts register: already filled, left as it is.")

    def registry(
        self,
        *,
        people: int,
        seed: int,
        as_of: datetime.date,
        batch_size: int,
        append: bool,
        using: str,
        quiet: bool,
    ) -> GenerateResult:
        """The people, households, documents and employers, with a progress bar unless quiet."""
        bar = tqdm(total=people, unit=" people", unit_scale=True, disable=quiet, file=sys.stderr)
        try:
            return registry_generate(
                people=people,
                seed=seed,
                as_of=as_of,
                batch_size=batch_size,
                append=append,
                using=using,
                progress=bar.update,
            )
        finally:
            bar.close()

    def report(
        self,
        result: GenerateResult,
        facts: FactsResult | None,
        *,
        seed: int,
        as_of: datetime.date,
    ) -> None:
        self.stdout.write(
            f"Generated {result.people:,} people in {result.households:,} households, "
            f"{result.documents:,} identity documents and {result.employers:,} employers "
            f"(seed {seed}, as of {as_of.isoformat()})."
        )
        if facts is not None:
            self.stdout.write(
                f"Facts: insurance accounts {facts.accounts:,}, disability decisions "
                f"{facts.disability_decisions:,}, births {facts.births:,}, "
                f"household means {facts.household_means:,}."
            )
