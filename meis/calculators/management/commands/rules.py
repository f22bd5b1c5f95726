"""``meis rules evaluate|list``: a thin wrapper over ``meis.rules.cli`` (no database needed)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from meis.rules.cli import main


class Command(BaseCommand):
    help = "Evaluate rules as code: `meis rules evaluate SCHEME --on DATE --facts FILE|-`, `meis rules list`."
    requires_system_checks: list[str] = []  # noqa: RUF012

    def run_from_argv(self, argv: list[str]) -> None:
        sys.exit(main(argv[2:]))

    def handle(self, *args: object, **options: object) -> None:  # pragma: no cover — run_from_argv
        sys.exit(main([str(a) for a in args]))
