"""`meis audit verify [--anchor ID:HASH]`: walk the audit trail's hash chain (ADR 0022) and
report the first event at which it breaks; the exit status is 1 then, 0 when every event is
intact. `--anchor` is a "last event ID, head HASH" an earlier run printed, kept outside the
database: that event must still be there with that hash."""

from __future__ import annotations

import argparse
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meis.audit.chain import chain_verify


def _anchor(value: str) -> tuple[int, str]:
    event_id, _, row_hash = value.partition(":")
    if not (event_id.isdigit() and re.fullmatch(r"[0-9a-f]{64}", row_hash)):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not ID:HASH: write the event id, a colon and its 64-digit hash."
        )
    return int(event_id), row_hash


class Command(BaseCommand):
    help = "The audit trail: verify its hash chain (a changed, deleted or inserted event)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument(
            "--anchor",
            type=_anchor,
            help="ID:HASH of an event an earlier verify printed, kept outside the database",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify(anchor=options["anchor"])
        if report.broken is not None:
            raise CommandError(
                f"The audit trail has been tampered with at event {report.broken.event_id}: "
                f"{report.broken.reason}. {report.events} event(s) before it are intact. "
                "Keep this database as it is and compare it with a backup."
            )
        if report.last_id is None:
            self.stdout.write("OK: 0 audit event(s), the trail is empty.")
            return
        self.stdout.write(
            f"OK: {report.events} audit event(s), the chain is intact. "
            f"Last event {report.last_id}, head {report.head}.\n"
            f"Keep outside the database, for a later --anchor: {report.last_id}:{report.head}"
        )
