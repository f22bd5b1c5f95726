"""Every sign-in, whatever the path (citizen code, staff TOTP, admin), stamps its session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from meis.accounts.services import session_generation_current

SESSION_SIGNED_IN_AT = "meis_signed_in_at"
SESSION_GENERATION = "meis_session_generation"
# When the session was last written by SessionPolicyMiddleware's refresh (sign-in writes it too).
SESSION_WRITTEN_AT = "meis_session_written_at"


@receiver(user_logged_in, dispatch_uid="meis.accounts.stamp_session")
def stamp_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_SIGNED_IN_AT] = request.session[SESSION_WRITTEN_AT] = (
        timezone.now().timestamp()
    )
    request.session[SESSION_GENERATION] = session_generation_current(user_id=user.pk)
