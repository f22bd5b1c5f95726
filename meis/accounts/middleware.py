"""Session policy: absolute expiry, "sign out everywhere", and when an unchanged session is written.

Idle expiry is SESSION_COOKIE_AGE after the session was last written. A session is written when
its content changes (Django's own rule, SESSION_SAVE_EVERY_REQUEST off) and, for a signed-in
user, when its last write is more than `SESSION_REFRESH_SECONDS` old: an active session's expiry
keeps moving forward without a database write on every request, and an idle one still ends at
most SESSION_COOKIE_AGE after its last request (up to `SESSION_REFRESH_SECONDS` sooner).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.access import actor_session_generation, citizen_person_id
from meis.accounts.request_memo import request_memo_open
from meis.accounts.signals import SESSION_GENERATION, SESSION_SIGNED_IN_AT, SESSION_WRITTEN_AT
from meis.accounts.urls_helpers import sign_in_redirect

# An unchanged session is written again once its last write is this old (never more often than
# a tenth of the idle age, for short test ages).
SESSION_REFRESH_SECONDS = 60


class SessionPolicyMiddleware:
    """Ends a session older than MEIS_SESSION_ABSOLUTE_AGE or from before "sign out everywhere";
    moves a live session's idle expiry forward; opens the request's memo of the signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        request_memo_open(request.user)
        if not self._session_valid(request):
            staff = request.user.is_staff or citizen_person_id(request.user) is None
            logout(request)
            messages.info(
                request,
                _("Your session has ended. Sign in again to continue where you were."),
            )
            return sign_in_redirect(request, staff=staff)
        self._refresh_when_old(request)
        return self.get_response(request)

    def _refresh_when_old(self, request: HttpRequest) -> None:
        now = timezone.now().timestamp()
        written_at = (
            request.session.get(SESSION_WRITTEN_AT) or request.session[SESSION_SIGNED_IN_AT]
        )
        step = min(SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE / 10)
        if now - float(written_at) >= step:
            request.session[SESSION_WRITTEN_AT] = now  # modified: written with a new expiry

    def _session_valid(self, request: HttpRequest) -> bool:
        signed_in_at = request.session.get(SESSION_SIGNED_IN_AT)
        if signed_in_at is None:
            return False
        age = timezone.now().timestamp() - float(signed_in_at)
        if age > settings.MEIS_SESSION_ABSOLUTE_AGE:
            return False
        generation = actor_session_generation(request.user)  # type: ignore[arg-type]
        return bool(request.session.get(SESSION_GENERATION, 0) == generation)
