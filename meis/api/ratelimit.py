"""Per-client request limits that hold across processes and servers: a fixed one-minute window
counted in Redis with INCR and EXPIRE in one MULTI/EXEC transaction, so two workers never both
see the last allowed request. Without Redis (a laptop demo) the limit is not enforced, and that
is logged once per process; production sets API_RATE_LIMIT_REDIS_URL (docs/configuration.md)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import cache

import redis
from django.conf import settings

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int
    # The API tokens' generation (meis.api.tokens), when the caller asked for it in the same
    # round trip; None when not asked or Redis could not be reached.
    token_generation: int | None = None


@cache
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.API_RATE_LIMIT_REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
    )


_warned = False


def _prefix() -> str:
    """API_RATE_LIMIT_PREFIX: installations sharing one Redis never count each other's calls."""
    return str(settings.API_RATE_LIMIT_PREFIX)


def rate_limit_reset() -> None:
    """Forget every counter of this installation (a new minute for everyone)."""
    keys = list(redis_client().scan_iter(match=_prefix() + "*", count=1000))
    if keys:
        redis_client().delete(*keys)


def rate_limit_hit(
    who: str, *, limit: int, now: float | None = None, read_key: str | None = None
) -> Verdict:
    """Count one request of `who` in the current minute; allowed while within `limit`.

    `read_key`: a counter to read in the same round trip (the API tokens' generation)."""
    global _warned  # noqa: PLW0603 — one warning per process
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"{_prefix()}{who}:{window}"
    try:
        pipeline = redis_client().pipeline(transaction=True)
        pipeline.incr(key)
        pipeline.expire(key, WINDOW_SECONDS * 2)
        if read_key:
            pipeline.get(read_key)
        replies = pipeline.execute()
        count = int(replies[0])
    except redis.RedisError:
        if not _warned:
            logger.warning("API rate limits are not enforced: Redis cannot be reached")
            _warned = True
        return Verdict(allowed=True, count=0, limit=limit, retry_after=0)
    retry_after = WINDOW_SECONDS * (window + 1) - int(now)
    return Verdict(
        allowed=count <= limit,
        count=count,
        limit=limit,
        retry_after=max(retry_after, 1),
        token_generation=int(replies[2] or 0) if read_key else None,
    )
