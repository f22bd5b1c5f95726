"""`meis veterans generate`: synthetic veterans' registers for the existing registry."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meis.veterans.synthetic import veterans_generate


class Command(BaseCommand):
    help = "Veterans' registers: generate synthetic statuses for the Presidential stipends."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        generate = actions.add_parser("generate", help="Statuses for people who hold none.")
        generate.add_argument("--seed", type=int, default=1)
        generate.add_argument("--on", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["on"] or datetime.datetime.now(tz=datetime.UTC).date()
        result = veterans_generate(seed=options["seed"], on=on)
        self.stdout.write(f"{result.statuses} stipend statuses written")
