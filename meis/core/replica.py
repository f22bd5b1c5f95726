"""Read-mostly pages from a PostgreSQL streaming replica, when one is configured.

`DATABASE_REPLICA_URL` adds the database alias "replica" (docs/deployment.md). Then the views
marked `@replica_reads` — public certificate checks, published statistics, the calculators:
pages anyone may open, read by many, written by none — read their rows from it, and the primary
is left to the writes and to everything else. Writes always go to the primary, also from those
views (a certificate check is logged).

What stays on the primary even inside such a view:
- the session, the signed-in user and their roles (apps in `PRIMARY_ONLY_APPS`): a replica a
  second behind must not sign someone out or keep a revoked role;
- every read of a client that has just written (any POST, PUT, PATCH or DELETE answered in the
  last `REPLICA_READ_YOUR_WRITES_SECONDS`, marked by a short-lived cookie): a citizen who has
  just acted sees the result of it, however far the replica lags.

Without a replica, nothing changes: every read goes to the one database.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
RECENT_WRITE_COOKIE = "meis_wrote"
# Read from the primary whatever the view: who is signed in, with which session and roles.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "otp_totp", "otp_static", "axes"})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)
View = TypeVar("View", bound=Callable[..., HttpResponse])


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def replica_reads_within() -> Iterator[None]:
    """Route this block's reads (of the apps not kept on the primary) to the replica."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def replica_reads(view: View) -> View:
    """Mark a read-mostly view: its GET and HEAD read from the replica when there is one and the
    client has not just written."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            request.method not in ("GET", "HEAD")
            or not replica_configured()
            or RECENT_WRITE_COOKIE in request.COOKIES
        ):
            return view(request, *args, **kwargs)
        with replica_reads_within():
            return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    """The database router (`DATABASE_ROUTERS`): reads inside `replica_reads` go to the replica,
    everything else to the primary ("default")."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not _reading_from_replica.get() or not replica_configured():
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return None
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # The replica holds the primary's rows: an object read there may point at one here.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


class RecentWriteMiddleware:
    """Mark a client that has just written (read-your-writes, see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in _SAFE_METHODS and replica_configured():
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                "1",
                max_age=settings.REPLICA_READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
