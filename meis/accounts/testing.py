"""Test support shared by every app's tests: staff sessions as the staff sign-in makes them."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def otp_verified(client: Client, user: User) -> Client:
    """Sign `client` in as `user` with a verified TOTP device in the session, as after the staff
    sign-in (password + TOTP); the admin and staff pages refuse a session without one."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
