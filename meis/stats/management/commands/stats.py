"""`meis stats report --from DATE --to DATE [--json]`: the seed's kinds of figures for a period;
`meis stats refresh` and `meis stats rebuild`: bring the daily rollups up to date."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meis.stats.report import report_for
from meis.usage.selectors import Period
from meis.usage.services import rollup_rebuild, rollup_refresh

EARLIEST = datetime.date(2016, 1, 1)  # e-sosial.az's e-services were counted from 2016 on

LINES = (
    ("e_service_uses", "E-service uses"),
    ("applications", "  of them applications (every channel)"),
    ("proactive_total", "Assigned proactively, without an application"),
    ("proactive.old_age_pensions", "  old-age pensions"),
    ("proactive.disability_pensions", "  disability pensions"),
    ("proactive.survivor_pensions", "  survivor pensions"),
    ("proactive.benefits", "  benefits"),
    ("proactive.targeted_assistance", "  targeted social assistance"),
    ("proactive.stipends", "  Presidential stipends"),
    ("decisions", "Applications decided"),
    ("certificates_issued", "E-certificates issued"),
    ("certificates_verified", "E-certificates checked by third parties"),
    ("appointments", "Appointments booked at DOST centres"),
    ("calls", "Calls to 142 logged"),
    ("emails", "E-mails to the centres"),
    ("walk_in_visitors", "Walk-in visitors called to a counter"),
)


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Usage statistics: report a period's figures, or refresh or rebuild the rollups."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["report", "refresh", "rebuild"])
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (report)")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (report)")
        parser.add_argument("--json", action="store_true", help="print JSON (report)")
        parser.add_argument(
            "--no-refresh",
            action="store_true",
            help="report from the rollups as they are, without summing the newest events first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "refresh":
            self.stdout.write(str(rollup_refresh()))
        elif options["action"] == "rebuild":
            self.stdout.write(str(rollup_rebuild()))
        else:
            self._report(options)

    def _report(self, options: dict[str, Any]) -> None:
        period = _period(options["start"], options["end"])
        if not options["no_refresh"]:
            rollup_refresh()
        report = report_for(period)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            return
        data = report.as_json()
        self.stdout.write(f"MEİS usage, {period.start.isoformat()} to {period.end.isoformat()}")
        for key, label in LINES:
            value: Any = data
            for part in key.split("."):
                value = value[part]
            self.stdout.write(f"{label:<48} {value:>12,}")
        self.stdout.write("E-service uses by channel:")
        for channel, count in report.uses_by_channel.items():
            self.stdout.write(f"  {channel:<46} {count:>12,}")


def _period(start_text: str | None, end_text: str | None) -> Period:
    if not start_text or not end_text:
        raise CommandError("Give the period: --from YYYY-MM-DD --to YYYY-MM-DD.")
    start, end = _day(start_text), _day(end_text)
    if start > end:
        raise CommandError("The period starts after it ends: swap --from and --to.")
    if start < EARLIEST:
        raise CommandError(f"No figures before {EARLIEST.isoformat()}: start later.")
    return Period(start=start, end=end)
