"""`meis certificates demo-ca`: write the self-signed demo CA and signing key (idempotent)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meis.certificates.signing import demo_ca_ensure


class Command(BaseCommand):
    help = "E-certificates: `demo-ca` writes a demo CA and signing key unless a key exists."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["demo-ca"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "demo-ca":
            raise CommandError("unknown action")
        if demo_ca_ensure():
            self.stdout.write(
                f"Demo signing key written to {settings.CERTIFICATE_SIGNING_P12} "
                f"(CA: {settings.CERTIFICATE_TRUST_ROOTS}). Not for production."
            )
        else:
            configured = settings.CERTIFICATE_SIGNING_KEY or settings.CERTIFICATE_SIGNING_P12
            self.stdout.write(f"Signing key exists: {configured}")
