"""`meis audit seal`: link the events not sealed yet into the hash chain (the scheduler does it
every minute; `--everything` looks through the whole trail, not only the recent ids).
`meis audit verify [--anchor ID:HASH]`: walk the chain (ADR 0022) and report the first event at
which it breaks; the exit status is 1 then, 0 when every sealed event is intact. `--anchor` is a
"last event ID, head HASH" an earlier run printed, kept outside the database: that event must
still be sealed with that hash."""

from __future__ import annotations

import argparse
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meis.audit.chain import audit_seal, chain_verify


def _anchor(value: str) -> tuple[int, str]:
    event_id, _, row_hash = value.partition(":")
    if not (event_id.isdigit() and re.fullmatch(r"[0-9a-f]{64}", row_hash)):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not ID:HASH: write the event id, a colon and its 64-digit hash."
        )
    return int(event_id), row_hash


class Command(BaseCommand):
    help = "The audit trail: seal new events into its hash chain, or verify the chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["seal", "verify"])
        parser.add_argument(
            "--everything",
            action="store_true",
            help="seal: look for unsealed events through the whole trail",
        )
        parser.add_argument(
            "--anchor",
            type=_anchor,
            help="verify: ID:HASH of an event an earlier verify printed, kept outside the database",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seal":
            sealed = audit_seal(everything=options["everything"])
            self.stdout.write(f"Sealed {sealed} audit event(s).")
            return
        report = chain_verify(anchor=options["anchor"])
        if report.broken is not None:
            raise CommandError(
                f"The audit trail has been tampered with at event {report.broken.event_id}: "
                f"{report.broken.reason}. {report.events} sealed event(s) before it are intact. "
                "Keep this database as it is and compare it with a backup."
            )
        self.stdout.write(
            f"OK: {report.events} sealed audit event(s), the chain is intact. "
            f"Last event {report.last_id}, head {report.head}. "
            f"Not sealed yet: {report.unsealed}."
        )
        if report.last_id is not None:
            self.stdout.write(
                f"Keep outside the database, for a later --anchor: {report.last_id}:{report.head}"
            )
