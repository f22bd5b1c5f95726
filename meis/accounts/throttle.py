"""Counting attempts in the cache: lock-out after failures and rate limits on code requests.

Fixed windows: the first hit opens a window of `window` seconds; at `limit` hits the key is
blocked until the window ends. Keys are hashes, so the cache never holds a FİN or an address.
Several web processes must share the cache (CACHE_URL=rediscache://…), or each counts alone:
`meis check --deploy` warns when production runs with a per-process cache (meis.W001). Counts
are atomic (`add` + `incr`), so processes sharing the cache never lose a hit.
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


def sign_in_twin() -> Limit:
    """Counts nothing anyone checks: a known pair on sign-in hits it where an unknown pair hits
    the failure limits, so that both requests make the same cache writes (issue 22, item 7)."""
    return Limit("twin", settings.MEIS_SIGN_IN_FAILURE_LIMIT, _cool_off())


def code_requests_per_fin() -> Limit:
    return Limit("code-fin", settings.MEIS_CODE_REQUEST_LIMIT, _cool_off())


def code_requests_per_address() -> Limit:
    return Limit("code-ip", settings.MEIS_CODE_REQUEST_LIMIT_PER_ADDRESS, _cool_off())


def contact_codes_per_person() -> Limit:
    return Limit("contact-person", settings.MEIS_CONTACT_CODE_LIMIT, _cool_off())


def contact_codes_per_destination() -> Limit:
    return Limit("contact-to", settings.MEIS_CONTACT_CODE_LIMIT_PER_DESTINATION, _cool_off())


def contact_codes_per_address() -> Limit:
    return Limit("contact-ip", settings.MEIS_CONTACT_CODE_LIMIT_PER_ADDRESS, _cool_off())


def _cool_off() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.MEIS_SIGN_IN_COOL_OFF_MINUTES)


def _key(limit: Limit, value: str) -> str:
    digest = hashlib.sha256(f"{limit.name}:{value}".encode()).hexdigest()[:32]
    return f"meis:throttle:{digest}"


def throttle_hit(limit: Limit, value: str) -> int:
    """Count one attempt for `value`, atomically in a shared cache; the count in the window.

    The window's end is written only by the first hit (`add`), the count only ever incremented
    (`incr`: Redis INCR), so hits from many processes at once are all counted — a read, add one
    and write back lost hits between processes.
    """
    now = timezone.now()
    key = _key(limit, value)
    timeout = int(limit.window.total_seconds()) + 1
    cache.add(f"{key}:until", (now + limit.window).timestamp(), timeout=timeout)
    cache.add(f"{key}:n", 0, timeout=timeout)
    try:
        return int(cache.incr(f"{key}:n"))
    except ValueError:  # the window ended between the two calls: this hit opens the next
        cache.add(f"{key}:until", (now + limit.window).timestamp(), timeout=timeout)
        cache.add(f"{key}:n", 1, timeout=timeout)
        return 1


def throttle_take(limit: Limit, value: str) -> datetime.datetime | None:
    """Use one of `value`'s attempts: None when it was within the limit, else when it may try
    again. Counting first and judging by the count makes the limit exact when requests from
    several processes arrive together (checking, then counting, let them all through)."""
    if throttle_hit(limit, value) <= limit.limit:
        return None
    return throttle_blocked_until(limit, value) or timezone.now() + limit.window


def throttle_blocked_until(limit: Limit, value: str) -> datetime.datetime | None:
    """When `value` may try again, or None when it may try now."""
    key = _key(limit, value)
    state = cache.get_many([f"{key}:n", f"{key}:until"])
    count, until = state.get(f"{key}:n"), state.get(f"{key}:until")
    if count is None or until is None or int(count) < limit.limit:
        return None
    blocked_until = datetime.datetime.fromtimestamp(float(until), tz=datetime.UTC)
    return blocked_until if blocked_until > timezone.now() else None


def throttle_reset(limit: Limit, value: str) -> None:
    key = _key(limit, value)
    cache.delete_many([f"{key}:n", f"{key}:until"])


def first_block(checks: list[tuple[Limit, str]]) -> datetime.datetime | None:
    """The latest time any of the (limit, value) pairs is blocked until, or None."""
    blocked = [t for limit, value in checks if (t := throttle_blocked_until(limit, value))]
    return max(blocked) if blocked else None
