"""The sign-in backends: django-axes in front of the username/password backend (staff), and
that backend loading the signed-in user with their registry person (everyone)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from meis.core.compiled import CompiledQuery


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


class UserAndPersonBackend(ModelBackend):
    """Django's username/password backend, whose per-request load of the signed-in user also
    brings the registry person behind a citizen account, in the same query.

    Nearly every page a citizen opens reads their person (`access.citizen_person`); loading it
    with the user saves that read on each request (issue 24). For staff the join finds nothing.
    """

    def get_user(self, user_id: Any) -> Any:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None  # not an id this backend ever put in a session
        user = _USER_AND_PERSON.first(pk)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None


def _user_and_person(pk: int) -> QuerySet[User]:
    return User._default_manager.select_related("citizen_account__person").filter(pk=pk)[:1]


# Read on every signed-in request: the SQL is built once per process (meis.core.compiled).
_USER_AND_PERSON = CompiledQuery(_user_and_person, arguments=(int,))
