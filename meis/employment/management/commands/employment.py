"""`meis employment synthetic --job-seekers N --vacancies M --seed S [--on YYYY-MM-DD]`: a
synthetic employment register (registrations, vacancies, referrals) for the registry's people
and employers (`meis.employment.synthetic`)."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from meis.employment.synthetic import GeneratorError, employment_generate


class Command(BaseCommand):
    help = (
        "The employment service's register: `synthetic` writes N open job-seeker registrations "
        "and M open vacancies (with ended ones, histories and referrals) for the synthetic "
        "registry's people and employers, deterministic by the seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["synthetic"])
        parser.add_argument("--job-seekers", type=int, default=200_000)
        parser.add_argument("--vacancies", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--on", help="the register's date, YYYY-MM-DD (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = _date(options["on"]) if options["on"] else timezone.localdate()
        started = time.perf_counter()
        try:
            result = employment_generate(
                job_seekers=options["job_seekers"],
                vacancies=options["vacancies"],
                seed=options["seed"],
                on=on,
            )
        except GeneratorError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{result.open_registrations:,} open registrations ({result.unemployed:,} "
            f"unemployed, {result.paused:,} de-registered for a time), "
            f"{result.ended_registrations:,} ended; {result.open_vacancies:,} open vacancies, "
            f"{result.closed_vacancies:,} closed; {result.referrals:,} referrals; "
            f"{time.perf_counter() - started:.1f} s"
        )


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD.") from None
