"""Client authentication for API v1: the token endpoint (OAuth 2 client credentials) and the
bearer check every client endpoint makes — the client's address list, its own rate limit, and
the scope the endpoint needs."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Form, Router, Schema
from ninja.security import HttpBearer

from meis.api.models import ApiClient
from meis.api.ratelimit import rate_limit_hit
from meis.api.rules import PROBLEMS, Problem
from meis.api.services import (
    AcceptedToken,
    ClientRefused,
    address_check,
    token_client,
    token_digest,
    token_issue,
)
from meis.api.tokens import (
    RememberedToken,
    generation_key,
    token_forget,
    token_generation,
    token_recall,
    token_remember,
)
from meis.audit.services import client_address_from

router = Router(tags=["Clients"])


class Unauthorized(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class Forbidden(Exception):
    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class ClientLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class ClientBearer(HttpBearer):
    """`Authorization: Bearer <token>` from POST /api/v1/token, carrying `scope`: checked before
    the request's data, so that a client outside its scopes learns nothing about the endpoint's
    input (403 whatever it sent)."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient:
        address = client_address_from(request)
        digest = token_digest(token)
        remembered = token_recall(digest, now=timezone.now())
        try:
            if remembered is None:
                accepted = _token_read(token, digest, address)
            else:
                address_check(remembered.client, address)
                accepted = AcceptedToken(
                    remembered.client, list(remembered.scopes), remembered.expires_at
                )
        except ClientRefused as refused:
            raise Unauthorized(str(refused)) from None
        client, scopes = accepted.client, accepted.scopes
        verdict = rate_limit_hit(
            f"client:{client.pk}",
            limit=client.rate_limit_per_minute,
            read_key=generation_key() if remembered else None,
        )
        if remembered is not None and verdict.token_generation != remembered.generation:
            # Something changed since (a key revoked, the client deactivated): ask again.
            token_forget(digest)
            try:
                accepted = _token_read(token, digest, address)
            except ClientRefused as refused:
                raise Unauthorized(str(refused)) from None
            client, scopes = accepted.client, accepted.scopes
        if not verdict.allowed:
            raise ClientLimited(verdict.retry_after)
        request.api_scopes = scopes  # type: ignore[attr-defined]
        request.auth = client  # type: ignore[attr-defined]  # the call log names it, even if refused
        if self.scope not in scopes:
            raise Forbidden(self.scope)
        return client


def _token_read(token: str, digest: str, address: str | None) -> AcceptedToken:
    """The token from the database, remembered for the client's next calls (meis.api.tokens)."""
    generation = token_generation()  # before the read: see meis.api.tokens
    accepted = token_client(token=token, address=address)
    if generation is not None:
        token_remember(
            digest,
            RememberedToken(
                client=accepted.client,
                scopes=tuple(accepted.scopes),
                expires_at=accepted.expires_at,
                generation=generation,
            ),
        )
    return accepted


def calling_client(request: HttpRequest) -> ApiClient:
    """The client whose token `ClientBearer` accepted for this call."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    return client


class TokenForm(Schema):
    grant_type: str = Field(description='Always "client_credentials".')
    client_id: str | None = Field(None, description="Or send it with HTTP Basic.")
    client_secret: str | None = Field(None, description="Or send it with HTTP Basic.")
    scope: str | None = Field(None, description="Space-separated; default: all the client's.")


class TokenOut(Schema):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 — the OAuth token type, not a secret
    expires_in: int
    scope: str


def _basic(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:], validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    key_id, _, secret = decoded.partition(":")
    return key_id, secret


@router.post(
    "/token",
    response={200: TokenOut, 401: Problem, **PROBLEMS},
    summary="A bearer token for a registered client (OAuth 2 client credentials)",
    operation_id="token_issue",
)
def token(request: HttpRequest, form: Form[TokenForm]) -> dict[str, Any]:
    if form.grant_type != "client_credentials":
        raise Unauthorized("unsupported_grant_type")
    basic = _basic(request)
    key_id, secret = basic if basic else (form.client_id or "", form.client_secret or "")
    if not key_id or not secret:
        raise Unauthorized("invalid_client")
    try:
        issued = token_issue(
            key_id=key_id,
            secret=secret,
            address=client_address_from(request),
            scopes=form.scope.split() if form.scope else None,
        )
    except ClientRefused as refused:
        raise Unauthorized(str(refused)) from None
    return {
        "access_token": issued.token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
        "scope": " ".join(issued.scopes),
    }
