"""`meis awards …`: reviewed recalculations, the daily end of awards, suspension and resumption.

meis awards recalculate --kind KIND --on DATE --as NAME    (then recalculate-approve|-reject)
meis awards end-due [--on DATE]                            (what the scheduler runs daily)
meis awards suspend AWARD --reason TEXT --as NAME [--on DATE]
meis awards resume AWARD --reason TEXT --as NAME [--on DATE]
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from meis.awards.models import Award, AwardKind, Recalculation
from meis.awards.services import (
    AwardError,
    RecalculationError,
    award_resume,
    award_suspend,
    awards_end_due,
    recalculation_approve,
    recalculation_prepare,
    recalculation_reject,
    recalculation_summary,
)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date YYYY-MM-DD") from None


def _azn(qepik: int) -> str:
    sign = "-" if qepik < 0 else "+"
    return f"{sign}{abs(qepik) // 100:,}.{abs(qepik) % 100:02d} AZN"


class Command(BaseCommand):
    help = (
        "Awards: prepare, approve or reject a recalculation after a parameter change; end what "
        "the law makes due today; suspend or resume an award."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        prepare = actions.add_parser(
            "recalculate", help="Prepare a recalculation (nothing changes until approved)."
        )
        prepare.add_argument("--kind", required=True, choices=AwardKind.values)
        prepare.add_argument("--on", required=True, type=_date, help="New amounts from.")
        prepare.add_argument("--as", dest="username", required=True)
        for name, help_text in (
            ("recalculate-approve", "Approve and apply (a second administrator)."),
            ("recalculate-reject", "Reject: no award is written."),
        ):
            action = actions.add_parser(name, help=help_text)
            action.add_argument("recalculation_id", type=int)
            action.add_argument("--as", dest="username", required=True)
        end_due = actions.add_parser(
            "end-due", help="End, continue and remind what is due (safe to run twice)."
        )
        end_due.add_argument("--on", type=_date, help="The day (default: today).")
        for name, help_text in (
            ("suspend", "Stop paying an active award, with the reason the person is told."),
            ("resume", "Pay a suspended award again, with the reason the person is told."),
        ):
            action = actions.add_parser(name, help=help_text)
            action.add_argument("award_id", type=int)
            action.add_argument("--reason", required=True)
            action.add_argument("--as", dest="username", required=True)
            action.add_argument("--on", type=_date, help="From this day (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "end-due":
            on = options["on"] or datetime.date.today()  # noqa: DTZ011 — the civil date
            self.stdout.write(str(awards_end_due(on=on)))
            return
        if options["action"] in ("suspend", "resume"):
            self._suspend_or_resume(options)
            return
        actor = self._user(options["username"])
        try:
            if options["action"] == "recalculate":
                prepared = recalculation_prepare(
                    kind=options["kind"], effective_on=options["on"], actor=actor
                )
                recalculation = prepared.recalculation
                self.stdout.write(
                    f"Recalculation {recalculation.pk} ({recalculation.kind} from "
                    f"{recalculation.effective_on}): {prepared.awards:,} active awards evaluated, "
                    f"{recalculation.changes:,} change, {prepared.unchanged:,} unchanged; "
                    f"total monthly change {_azn(prepared.total_change_qepik)}."
                )
                if prepared.for_review or prepared.without_facts:
                    self.stdout.write(
                        f"  Left unchanged for review: {len(prepared.for_review):,} the rule "
                        f"would now refuse, {len(prepared.without_facts):,} without recorded facts."
                    )
                self.stdout.write(
                    f"It waits for a second administrator: meis awards recalculate-approve "
                    f"{recalculation.pk} --as NAME"
                )
                return
            found = Recalculation.objects.filter(pk=options["recalculation_id"]).first()
            if found is None:
                raise CommandError(f"No recalculation {options['recalculation_id']}.")
            recalculation = found
            if options["action"] == "recalculate-approve":
                recalculation = recalculation_approve(recalculation=recalculation, actor=actor)
            else:
                recalculation = recalculation_reject(recalculation=recalculation, actor=actor)
            summary = recalculation_summary(recalculation)
            self.stdout.write(
                f"Recalculation {recalculation.pk}: {recalculation.status}, "
                f"{summary['changes']:,} awards, total monthly change "
                f"{_azn(summary['total_change_qepik'])}."
            )
        except RecalculationError as error:
            raise CommandError(str(error)) from None

    def _suspend_or_resume(self, options: dict[str, Any]) -> None:
        actor = self._user(options["username"])
        award = Award.objects.filter(pk=options["award_id"]).first()
        if award is None:
            raise CommandError(f"No award {options['award_id']}.")
        change = award_suspend if options["action"] == "suspend" else award_resume
        try:
            change(award=award, reason=options["reason"], actor=actor, on=options["on"])
        except AwardError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Award {award.pk}: {award.status}.")

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user
