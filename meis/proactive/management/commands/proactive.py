"""`meis proactive run|approve|generate-facts`: the proactive pipeline from the command line."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from meis.lifeevents.synthetic import facts_generate
from meis.proactive.models import ProactiveRun, RunMode, RunStatus
from meis.proactive.services import (
    DEFAULT_CHUNK_SIZE,
    ProactiveError,
    partitions_start,
    run_approve,
    run_execute,
    run_start,
    run_summary,
    runs_execute_side_by_side,
)
from meis.proactive.sources import SOURCES


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date YYYY-MM-DD") from None


def _partition(value: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise CommandError(f"--partition takes i/n (e.g. 1/4), not {value!r}") from None
    return index, count


class Command(BaseCommand):
    help = "Proactive assignment: run the pipeline, approve a mass run, generate synthetic facts."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser("run", help="Run (or resume) the pipeline for a day.")
        run.add_argument("--on", type=_date, default=None, help="Evaluation date (default today).")
        run.add_argument(
            "--scheme", action="append", choices=sorted(SOURCES), default=[], help="Repeatable."
        )
        run.add_argument("--full", action="store_true", help="Evaluate the whole registry.")
        run.add_argument("--json", action="store_true", help="Print the report as JSON.")
        run.add_argument("--partition", type=_partition, default=(1, 1), help="i/n of a full run.")
        run.add_argument(
            "--workers",
            type=int,
            default=1,
            help="A full run's partitions 1/N…N/N at once on this host, one process each.",
        )
        run.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE)
        run.add_argument("--as", dest="username", default="", help="The staff user starting it.")
        approve = actions.add_parser(
            "approve", help="Approve waiting runs and execute them (several: side by side)."
        )
        approve.add_argument("run_ids", type=int, nargs="+", metavar="run_id")
        approve.add_argument("--as", dest="username", required=True)
        facts = actions.add_parser(
            "generate-facts", help="Insurance accounts, disability decisions, births, means."
        )
        facts.add_argument("--seed", type=int, default=2020)
        facts.add_argument("--on", type=_date, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        today = datetime.date.today()  # noqa: DTZ011 — the ministry's civil date
        try:
            if options["action"] == "run":
                self.run(options, today)
            elif options["action"] == "approve":
                self.approve(options)
            else:
                result = facts_generate(seed=options["seed"], on=options["on"] or today)
                self.stdout.write(
                    f"Insurance accounts {result.accounts:,}, disability decisions "
                    f"{result.disability_decisions:,}, births {result.births:,}, "
                    f"household means {result.household_means:,}."
                )
        except ProactiveError as error:
            raise CommandError(str(error)) from None

    def approve(self, options: dict[str, Any]) -> None:
        runs = []
        for run_id in options["run_ids"]:
            run = ProactiveRun.objects.filter(pk=run_id).first()
            if run is None:
                raise CommandError(f"No proactive run {run_id}.")
            runs.append(run)
        actor = self._user(options["username"])
        for run in runs:
            run_approve(run=run, actor=actor)
        self.reports(runs_execute_side_by_side(runs, fork=True), as_json=False)

    def run(self, options: dict[str, Any], today: datetime.date) -> None:
        if options["workers"] != 1:
            self.run_side_by_side(options, today)
            return
        run = run_start(
            on=options["on"] or today,
            mode=RunMode.FULL if options["full"] else RunMode.INCREMENTAL,
            schemes=options["scheme"],
            partition=options["partition"],
            chunk_size=options["chunk_size"],
            actor=self._user(options["username"]) if options["username"] else None,
        )
        if run.status == RunStatus.AWAITING_APPROVAL:
            self.report(run, as_json=options["json"])
            if not options["json"]:
                self.stdout.write(
                    f"Run {run.pk} may create up to {run.expected_changes:,} awards: it waits "
                    f"for a second administrator (meis proactive approve {run.pk} --as NAME)."
                )
            return
        self.report(run_execute(run), as_json=options["json"])

    def run_side_by_side(self, options: dict[str, Any], today: datetime.date) -> None:
        if not options["full"] or options["partition"] != (1, 1):
            raise CommandError("--workers N runs the partitions 1/N…N/N of a --full run.")
        runs = partitions_start(
            on=options["on"] or today,
            schemes=options["scheme"],
            workers=options["workers"],
            chunk_size=options["chunk_size"],
            actor=self._user(options["username"]) if options["username"] else None,
        )
        waiting = [run for run in runs if run.status == RunStatus.AWAITING_APPROVAL]
        if waiting:
            self.reports(runs, as_json=options["json"])
            if not options["json"]:
                ids = " ".join(str(run.pk) for run in waiting)
                self.stdout.write(
                    f"The partitions may create up to "
                    f"{sum(r.expected_changes for r in waiting):,} awards: they wait for a second "
                    f"administrator (meis proactive approve {ids} --as NAME)."
                )
            return
        self.reports(runs_execute_side_by_side(runs, fork=True), as_json=options["json"])

    def reports(self, runs: list[ProactiveRun], *, as_json: bool) -> None:
        """Each partition's report (as JSON: one list of them)."""
        if as_json:
            summaries = [run_summary(run) for run in runs]
            self.stdout.write(json.dumps(summaries, ensure_ascii=False, indent=2))
            return
        for run in runs:
            self.report(run, as_json=False)

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def report(self, run: ProactiveRun, *, as_json: bool) -> None:
        summary = run_summary(run)
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Run {run.pk} ({run.mode}, {run.on}, partition {summary['partition']}): "
            f"{run.status} in {summary['seconds']} s"
        )
        self.stdout.write(
            f"  {'scheme':<26} {'candidates':>10} {'granted':>8} {'refused':>8} "
            f"{'near miss':>9} {'already':>8}"
        )
        for scheme, totals in summary["schemes"].items():
            self.stdout.write(
                f"  {scheme:<26} {totals['candidates']:>10,} {totals['granted']:>8,} "
                f"{totals['refused']:>8,} {totals['near_miss']:>9,} {totals['already_holds']:>8,}"
            )
            if totals.get("letter_to_child_only"):
                self.stdout.write(
                    f"  {'':<26} letter to the child only (no parent or adult found): "
                    f"{totals['letter_to_child_only']:,}"
                )
