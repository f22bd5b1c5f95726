"""The demo's API clients: a bank that verifies certificates and the e-government gateway that
reads a person's status and files applications, with published credentials (demo only, like
the demo staff's password) so that the README's `curl` lines work as printed."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from meis.api.models import ApiClient, ApiCredential, Scope


@dataclass(frozen=True)
class DemoClient:
    name: str
    institution: str
    scopes: tuple[str, ...]
    key_id: str
    secret: str


DEMO_API_CLIENTS = (
    DemoClient(
        name="demo-bank",
        institution="Kapital Bank (demo)",
        scopes=(Scope.CERTIFICATES_VERIFY,),
        key_id="mc_demo_bank",
        secret="demo-bank-secret-2020",  # noqa: S106 — published demo credential
    ),
    DemoClient(
        name="demo-gateway",
        institution="E-gov gateway (demo)",
        scopes=(Scope.PERSON_STATUS, Scope.APPLICATIONS_SUBMIT, Scope.APPLICATIONS_READ),
        key_id="mc_demo_gateway",
        secret="demo-gateway-secret-2020",  # noqa: S106 — published demo credential
    ),
)


def api_clients_demo_load() -> tuple[DemoClient, ...]:
    """Register the demo clients with their published credentials (idempotent)."""
    with transaction.atomic():
        for demo in DEMO_API_CLIENTS:
            client, _ = ApiClient.objects.get_or_create(
                name=demo.name,
                defaults={"institution": demo.institution, "scopes": sorted(demo.scopes)},
            )
            ApiCredential.objects.get_or_create(
                key_id=demo.key_id,
                defaults={"client": client, "secret_hash": make_password(demo.secret)},
            )
    return DEMO_API_CLIENTS
