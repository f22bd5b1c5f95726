"""`meis labour accrue --month YYYY-MM`: accrue a month's contributions from the register;
`meis labour classifiers`: load the occupation classifier and the termination grounds again."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from meis.labour.accrual import AccrualError, contributions_accrue, run_describe
from meis.labour.classifiers import classifiers_load


class Command(BaseCommand):
    help = (
        "The contracts register: accrue a month's contributions to the individual accounts, "
        "or reload the classifiers from meis/labour/data/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["accrue", "classifiers"])
        parser.add_argument("--month", help="the month to accrue, YYYY-MM (accrue)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "classifiers":
            occupations, grounds = classifiers_load()
            self.stdout.write(f"{occupations} occupations, {grounds} termination grounds loaded")
            return
        month_on = _month(options["month"])
        asked_at = timezone.now()
        try:
            run = contributions_accrue(month_on=month_on)
        except AccrualError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(run_describe(run, asked_at=asked_at))


def _month(value: str | None) -> datetime.date:
    if not value:
        raise CommandError("Give the month to accrue: --month YYYY-MM.")
    try:
        return datetime.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise CommandError(f"{value!r} is not a month: write it as YYYY-MM.") from None
