"""Session policy: absolute expiry and "sign out everywhere" (idle expiry is SESSION_COOKIE_AGE)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.services import session_generation_current
from meis.accounts.signals import SESSION_GENERATION, SESSION_SIGNED_IN_AT
from meis.accounts.urls_helpers import sign_in_redirect


class SessionPolicyMiddleware:
    """Ends a session older than MEIS_SESSION_ABSOLUTE_AGE or from before "sign out everywhere"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not self._session_valid(request):
            staff = request.user.is_staff or not hasattr(request.user, "citizen_account")
            logout(request)
            messages.info(
                request,
                _("Your session has ended. Sign in again to continue where you were."),
            )
            return sign_in_redirect(request, staff=staff)
        return self.get_response(request)

    def _session_valid(self, request: HttpRequest) -> bool:
        signed_in_at = request.session.get(SESSION_SIGNED_IN_AT)
        if signed_in_at is None:
            return False
        age = timezone.now().timestamp() - float(signed_in_at)
        if age > settings.MEIS_SESSION_ABSOLUTE_AGE:
            return False
        generation = session_generation_current(user_id=request.user.pk)  # type: ignore[arg-type]
        return bool(request.session.get(SESSION_GENERATION, 0) == generation)
