"""Who may open a page at all; what they may see on it is the access funnel's business."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from meis.accounts.access import citizen_person
from meis.accounts.urls_helpers import sign_in_redirect

View = Callable[..., HttpResponse]


def _session_expired(request: HttpRequest) -> bool:
    """The browser sent a session cookie for a session that no longer exists (idle expiry)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and not request.session.session_key


def citizen_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if citizen_person(request.user) is None:
            if _session_expired(request):
                messages.info(
                    request,
                    _(
                        "You were signed out after 15 minutes without activity. Sign in again "
                        "to continue where you were."
                    ),
                )
            return sign_in_redirect(request, staff=False)
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view: View) -> View:
    """Signed in with password and TOTP (django-otp marks the session verified)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
            if _session_expired(request):
                messages.info(request, _("Your session has ended. Sign in again to continue."))
            return sign_in_redirect(request, staff=True)
        return view(request, *args, **kwargs)

    return wrapper
