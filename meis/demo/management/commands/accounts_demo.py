from typing import Any

from django.core.management.base import BaseCommand

from meis.demo.staff import accounts_demo_load


class Command(BaseCommand):
    help = "Create role groups, demo staff (password + TOTP) and demo centre registrations."

    def handle(self, *args: Any, **options: Any) -> None:
        for line in accounts_demo_load():
            self.stdout.write(line)
