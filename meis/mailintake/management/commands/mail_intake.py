"""`meis mail_intake`: read every centre's mailbox now (the scheduler does it every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meis.mailintake.services import mailboxes_read_all


class Command(BaseCommand):
    help = "Read every configured centre mailbox (MAIL_INTAKE_MAILBOXES) into the e-mail queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from-start",
            action="store_true",
            help="Read each mailbox from its first message (what is already kept is skipped).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(mailboxes_read_all(from_start=options["from_start"]))
