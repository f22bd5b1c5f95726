"""Counting attempts in the cache: lock-out after failures and rate limits on code requests.

Fixed windows: the first hit opens a window of `window` seconds; at `limit` hits the key is
blocked until the window ends. Keys are hashes, so the cache never holds a FİN or an address.
Several web processes must share the cache (CACHE_URL=rediscache://…), or each counts alone.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window: datetime.timedelta


def sign_in_failures_per_fin() -> Limit:
    return Limit("fail-fin", settings.MEIS_SIGN_IN_FAILURE_LIMIT, _cool_off())


def sign_in_failures_per_address() -> Limit:
    return Limit("fail-ip", settings.MEIS_SIGN_IN_FAILURE_LIMIT_PER_ADDRESS, _cool_off())


def code_requests_per_fin() -> Limit:
    return Limit("code-fin", settings.MEIS_CODE_REQUEST_LIMIT, _cool_off())


def code_requests_per_address() -> Limit:
    return Limit("code-ip", settings.MEIS_CODE_REQUEST_LIMIT_PER_ADDRESS, _cool_off())


def _cool_off() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.MEIS_SIGN_IN_COOL_OFF_MINUTES)


def _key(limit: Limit, value: str) -> str:
    digest = hashlib.sha256(f"{limit.name}:{value}".encode()).hexdigest()[:32]
    return f"meis:throttle:{digest}"


def throttle_hit(limit: Limit, value: str) -> None:
    """Count one attempt for `value`."""
    now = timezone.now()
    key = _key(limit, value)
    state = cache.get(key)
    if state is None or state["until"] <= now:
        state = {"count": 0, "until": now + limit.window}
    state["count"] += 1
    cache.set(key, state, timeout=int(limit.window.total_seconds()) + 1)


def throttle_blocked_until(limit: Limit, value: str) -> datetime.datetime | None:
    """When `value` may try again, or None when it may try now."""
    state = cache.get(_key(limit, value))
    if state is None or state["until"] <= timezone.now() or state["count"] < limit.limit:
        return None
    until: datetime.datetime = state["until"]
    return until


def throttle_reset(limit: Limit, value: str) -> None:
    cache.delete(_key(limit, value))


def first_block(checks: list[tuple[Limit, str]]) -> datetime.datetime | None:
    """The latest time any of the (limit, value) pairs is blocked until, or None."""
    blocked = [t for limit, value in checks if (t := throttle_blocked_until(limit, value))]
    return max(blocked) if blocked else None
