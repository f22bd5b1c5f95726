from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meis.demo.staff import demo_totp_now


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo staff users (demo only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.MEIS_DEMO):
            raise CommandError("The demo TOTP code is only available with MEIS_DEMO=1.")
        self.stdout.write(demo_totp_now())
