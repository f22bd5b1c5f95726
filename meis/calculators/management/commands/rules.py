"""``rules`` as a Django command, over the one implementation in ``meis.rules.cli``.

``meis rules ...`` never reaches this module: meis/manage.py hands it to ``meis.rules.cli`` before
Django loads, so it needs no settings, secret or database. This command is what ``meis help`` lists
and what ``call_command("rules", "list", stdout=...)`` runs from Python.
"""

from __future__ import annotations

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meis.rules.cli import build_parser, main


class Command(BaseCommand):
    help = "Evaluate rules as code: `meis rules evaluate SCHEME --on DATE --facts FILE|-`, `meis rules list`."
    requires_system_checks: list[str] = []  # noqa: RUF012

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs=argparse.REMAINDER, help="see `meis rules --help`")

    def print_help(self, prog_name: str, subcommand: str) -> None:
        build_parser().print_help()

    def run_from_argv(self, argv: list[str]) -> None:
        sys.exit(main(argv[2:]))

    def handle(self, *args: str, **options: object) -> None:
        status = main(list(args), stdout=self.stdout, stderr=self.stderr)
        if status:
            raise CommandError(f"meis rules exited with status {status}", returncode=status)
