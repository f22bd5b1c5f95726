"""Per-request memo of the signed-in user: what the request path asks of them more than once.

Their roles, their registry person and their staff profile are asked by the middleware, the
access funnels, the page and the navigation of one request; each is read once per request and
kept on the request's own User object. AuthenticationMiddleware loads a fresh User for every
request, so nothing outlives the request or reaches another user (no process-wide cache).
`SessionPolicyMiddleware` opens the memo for the signed-in user; a User without one (held by a
service, a command or a test) is read afresh on every call, so a role granted or revoked in
between is always seen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

_MEMO_ATTRIBUTE = "_meis_request_memo"
_T = TypeVar("_T")


def request_memo_open(user: Any) -> None:
    """Keep what is read of `user` for the rest of this request (only the request's own user)."""
    if user.is_authenticated:
        setattr(user, _MEMO_ATTRIBUTE, {})


def request_memo_is_open(user: Any) -> bool:
    """Whether what is read of `user` is kept for the rest of the request."""
    return getattr(user, _MEMO_ATTRIBUTE, None) is not None


def request_memo_forget(user: Any) -> None:
    """Read `user`'s roles, person and profile afresh from now on (after changing one)."""
    memo = getattr(user, _MEMO_ATTRIBUTE, None)
    if memo is not None:
        memo.clear()
    # The person loaded with the user (`backends.UserAndPersonBackend`) is read again too.
    fields_cache = getattr(getattr(user, "_state", None), "fields_cache", None)
    if fields_cache is not None:
        fields_cache.pop("citizen_account", None)


def memoised(user: Any, key: str, read: Callable[[], _T]) -> _T:
    """`read()` once per request for a user whose memo is open; every time for any other."""
    memo: dict[str, Any] | None = getattr(user, _MEMO_ATTRIBUTE, None)
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return cast(_T, memo[key])
