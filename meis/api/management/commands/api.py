"""`meis api client-register --name N --institution I --scope S [--allow CIDR]`, `meis api
credential-issue --client N`, `meis api credential-revoke --key-id ID`: an administrator's
registration of API clients. A secret is printed once and kept only hashed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meis.api.models import ApiClient, ApiCredential, Scope
from meis.api.services import client_register, credential_issue, credential_revoke


class Command(BaseCommand):
    help = "Register API clients, issue and revoke their credentials."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["client-register", "credential-issue", "credential-revoke"]
        )
        parser.add_argument("--name")
        parser.add_argument("--institution")
        parser.add_argument("--scope", action="append", default=[], choices=Scope.values)
        parser.add_argument("--allow", action="append", default=[], help="an IP address or CIDR")
        parser.add_argument("--client", help="the client's name (credential-issue)")
        parser.add_argument("--key-id", help="the credential's client id (credential-revoke)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "client-register":
            if not options["name"] or not options["institution"] or not options["scope"]:
                raise CommandError("Give --name, --institution and at least one --scope.")
            if ApiClient.objects.filter(name=options["name"]).exists():
                raise CommandError(f"A client named {options['name']!r} exists already.")
            try:
                client, issued = client_register(
                    name=options["name"],
                    institution=options["institution"],
                    scopes=options["scope"],
                    allowed_addresses=tuple(options["allow"]),
                )
            except ValueError as error:
                raise CommandError(f"Not an address or network: {error}") from None
            self._print(client.name, issued.key_id, issued.secret)
        elif action == "credential-issue":
            named = ApiClient.objects.filter(name=options["client"] or "").first()
            if named is None:
                raise CommandError("No client has that --client name.")
            issued = credential_issue(client=named)
            self._print(named.name, issued.key_id, issued.secret)
        else:
            if not ApiCredential.objects.filter(key_id=options["key_id"] or "").exists():
                raise CommandError("No credential has that --key-id.")
            credential_revoke(key_id=options["key_id"])
            self.stdout.write(f"Revoked {options['key_id']} and its tokens.")

    def _print(self, name: str, key_id: str, secret: str) -> None:
        self.stdout.write(f"Client {name}")
        self.stdout.write(f"  client_id:     {key_id}")
        self.stdout.write(f"  client_secret: {secret}   (shown once: it is kept only hashed)")
