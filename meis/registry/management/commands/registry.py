"""`meis registry generate`: fill the registry with a synthetic country.

    meis registry generate --people 1000000 --seed 1 [--batch-size 100000] [--as-of 2020-03-01]
                           [--append] [--quiet] [--database default]

The same seed and `--as-of` give the same rows (whatever the batch size). The registry must be
empty, or `--append` adds the new people after the existing ones with fresh identifiers.
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from tqdm import tqdm

from meis.registry.synthetic import DEFAULT_BATCH_SIZE, GeneratorError, registry_generate


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
    help = "Registry tools. `generate` fills the registry with a synthetic country."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        generate = actions.add_parser(
            "generate",
            help="Generate synthetic people, households, identity documents and employers.",
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
            "--as-of", help="The date ages and document validity refer to (default today)."
        )
        generate.add_argument(
            "--append",
            action="store_true",
            help="Add to a registry that already has people (identifiers continue after theirs).",
        )
        generate.add_argument("--quiet", action="store_true", help="No progress bar.")
        generate.add_argument("--database", default="default", help="Database alias.")

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
        bar = tqdm(
            total=people,
            unit=" people",
            unit_scale=True,
            disable=options["quiet"],
            file=sys.stderr,
        )
        try:
            result = registry_generate(
                people=people,
                seed=seed,
                as_of=as_of,
                batch_size=batch_size,
                append=options["append"],
                using=using,
                progress=bar.update,
            )
        except GeneratorError as error:
            raise CommandError(f"Cannot generate: {error}.") from None
        except DatabaseError as error:
            raise CommandError(
                f"Cannot write to database {using!r}: {_one_line(error)} "
                "(check DATABASE_URL and run `meis migrate`)."
            ) from None
        finally:
            bar.close()
        self.stdout.write(
            f"Generated {result.people:,} people in {result.households:,} households, "
            f"{result.documents:,} identity documents and {result.employers:,} employers "
            f"(seed {seed}, as of {as_of.isoformat()})."
        )
