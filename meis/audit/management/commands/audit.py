"""`meis audit verify`: walk the audit trail's hash chain (ADR 0022) and report the first event
at which it breaks; the exit status is 1 then, 0 when every event is intact."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meis.audit.chain import chain_verify


class Command(BaseCommand):
    help = "The audit trail: verify its hash chain (a changed, deleted or inserted event)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify()
        if report.broken is not None:
            raise CommandError(
                f"The audit trail has been tampered with at event {report.broken.event_id}: "
                f"{report.broken.reason}. {report.events} event(s) before it are intact. "
                "Keep this database as it is and compare it with a backup."
            )
        self.stdout.write(
            f"OK: {report.events} audit event(s), the chain is intact. "
            f"Last event {report.last_id}, head {report.head}."
        )
