"""Writes of the API clients: register, issue and rotate credentials, revoke, and exchange a
client id and secret for a short-lived bearer token (OAuth 2 client credentials, RFC 6749 §4.4);
and the one read every call makes: the client behind a bearer token."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from meis.api.models import ApiClient, ApiCredential, ApiToken
from meis.api.tokens import tokens_forget_everywhere

TOKEN_LIFETIME = datetime.timedelta(minutes=15)


class ClientRefused(Exception):
    """The credentials or token are not (or no longer) valid; the message names which."""


@dataclass(frozen=True)
class IssuedCredential:
    key_id: str
    secret: str  # shown once


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int
    scopes: list[str]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_register(
    *,
    name: str,
    institution: str,
    scopes: list[str],
    allowed_addresses: tuple[str, ...] = (),
) -> tuple[ApiClient, IssuedCredential]:
    for network in allowed_addresses:
        ipaddress.ip_network(network, strict=False)  # ValueError for a malformed one
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name,
            institution=institution,
            scopes=sorted(set(scopes)),
            allowed_addresses=list(allowed_addresses),
        )
        return client, credential_issue(client=client)


def credential_issue(
    *, client: ApiClient, expires_at: datetime.datetime | None = None
) -> IssuedCredential:
    """A new id and secret for `client`; the older ones stay valid until revoked (rotation)."""
    key_id = "mc_" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    ApiCredential.objects.create(
        client=client, key_id=key_id, secret_hash=make_password(secret), expires_at=expires_at
    )
    return IssuedCredential(key_id=key_id, secret=secret)


def credential_revoke(*, key_id: str) -> None:
    """Revoke a credential and every token it obtained, at once."""
    with transaction.atomic():
        credential = ApiCredential.objects.select_for_update().get(key_id=key_id)
        credential.revoked_at = credential.revoked_at or timezone.now()
        credential.save(update_fields=["revoked_at"])
        ApiToken.objects.filter(credential=credential).delete()
        tokens_forget_everywhere()


def token_issue(
    *, key_id: str, secret: str, address: str | None, scopes: list[str] | None = None
) -> IssuedToken:
    now = timezone.now()
    credential = ApiCredential.objects.select_related("client").filter(key_id=key_id[:40]).first()
    # One answer for an unknown id and a wrong secret (no way to probe which ids exist); the
    # hash is checked either way so that both take as long.
    valid = check_password(secret, credential.secret_hash if credential else make_password(None))
    if credential is None or not valid:
        raise ClientRefused("invalid_client")
    if credential.revoked_at is not None or (
        credential.expires_at is not None and credential.expires_at <= now
    ):
        raise ClientRefused("revoked_credential")
    client = credential.client
    if not client.is_active:
        raise ClientRefused("inactive_client")
    address_check(client, address)
    granted = list(client.scopes) if not scopes else sorted(set(scopes))
    if not set(granted) <= set(client.scopes):
        raise ClientRefused("invalid_scope")
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        digest=_digest(token),
        client=client,
        credential=credential,
        scopes=granted,
        issued_at=now,
        expires_at=now + TOKEN_LIFETIME,
    )
    ApiToken.objects.filter(expires_at__lt=now - TOKEN_LIFETIME).delete()  # tidy as we go
    return IssuedToken(token=token, expires_in=int(TOKEN_LIFETIME.total_seconds()), scopes=granted)


@dataclass(frozen=True)
class AcceptedToken:
    client: ApiClient
    scopes: list[str]
    expires_at: datetime.datetime


def token_digest(token: str) -> str:
    """What the database keeps of a token (never the token itself)."""
    return _digest(token)


def token_client(*, token: str, address: str | None) -> AcceptedToken:
    """The client and scopes behind a bearer token (ClientRefused when expired or revoked)."""
    found = (
        ApiToken.objects.select_related("client", "credential")
        .filter(digest=_digest(token))
        .first()
    )
    if found is None:
        raise ClientRefused("invalid_token")
    if found.expires_at <= timezone.now():
        raise ClientRefused("expired_token")
    if found.credential.revoked_at is not None or not found.client.is_active:
        raise ClientRefused("revoked_credential")
    address_check(found.client, address)
    return AcceptedToken(
        client=found.client, scopes=list(found.scopes), expires_at=found.expires_at
    )


def address_check(client: ApiClient, address: str | None) -> None:
    if not client.allowed_addresses:
        return
    try:
        caller = ipaddress.ip_address(address or "")
    except ValueError:
        raise ClientRefused("address_not_allowed") from None
    if not any(
        caller in ipaddress.ip_network(net, strict=False) for net in client.allowed_addresses
    ):
        raise ClientRefused("address_not_allowed")
