"""A worker's memory of the bearer tokens it has accepted, so that a client's next call does not
read its token, credential and client from the database again.

Revocation stays immediate across processes: every change that can refuse a token (a revoked
credential, a deactivated client, a changed address list) raises a generation number kept in
Redis, and each call reads that number in the same round trip that counts it against its rate
limit (`meis.api.ratelimit`). A remembered token whose generation is not the current one is
read again from the database. Without Redis nothing is remembered: every call reads the
database, as before (ADR 0019).

Why the generation is read *before* the database on a miss: a revocation raises it only after
its transaction commits, so a token read before the commit carries the old number and is
refused on its next call, and one read after the commit is already refused.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass, field

import redis
from django.conf import settings
from django.db import transaction

from meis.api.models import ApiClient
from meis.api.ratelimit import redis_client

logger = logging.getLogger(__name__)
# A bound on the memory of one worker; tokens live 15 minutes, and a client holds one or two.
MAX_REMEMBERED = 10_000
# A safety net only: were a generation raise ever lost (Redis unreachable at that moment), a
# remembered token is still read again within this time.
REMEMBER_SECONDS = 60.0


@dataclass(frozen=True)
class RememberedToken:
    client: ApiClient
    scopes: tuple[str, ...]
    expires_at: datetime.datetime
    generation: int
    remembered_at: float = field(default_factory=time.monotonic)


_remembered: dict[str, RememberedToken] = {}


def generation_key() -> str:
    return f"{settings.API_RATE_LIMIT_PREFIX}tokens:generation"


def token_generation() -> int | None:
    """The current generation, or None when Redis cannot be reached (then remember nothing)."""
    try:
        value = redis_client().get(generation_key())
    except redis.RedisError:
        return None
    return int(value or 0)


def token_recall(digest: str, *, now: datetime.datetime) -> RememberedToken | None:
    """The token remembered under `digest`, while it is valid and recent. Its generation is
    still to be compared with the current one (`token_forget` when they differ)."""
    found = _remembered.get(digest)
    if found is None:
        return None
    if found.expires_at <= now or time.monotonic() - found.remembered_at > REMEMBER_SECONDS:
        token_forget(digest)
        return None
    return found


def token_forget(digest: str) -> None:
    _remembered.pop(digest, None)


def token_remember(digest: str, token: RememberedToken) -> None:
    if len(_remembered) >= MAX_REMEMBERED:
        _remembered.clear()
    _remembered[digest] = token


def tokens_forget_everywhere() -> None:
    """After this transaction commits, every worker reads its tokens from the database again."""

    def bump() -> None:
        _remembered.clear()
        try:
            redis_client().incr(generation_key())
        except redis.RedisError:
            # Without Redis no worker remembers anything (token_generation is None).
            logger.warning("API token generation not raised: Redis cannot be reached")

    transaction.on_commit(bump)
