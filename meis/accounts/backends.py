"""django-axes in front of the username/password backend, for staff sign-in."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class StaffLockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuses locked-out usernames and addresses; lets requestless calls through.

    Every web sign-in passes the request, so it is always checked. Calls without one (the test
    client's `login`, management commands) have no client address to lock and are not web
    attempts, so they are not refused here.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None
