"""Deployment checks of our own, run by `meis check --deploy` beside Django's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def demo_is_off(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> list[CheckMessage]:
    """The laptop demo's conveniences are an open door on a server: refuse them loudly."""
    if not settings.MEIS_DEMO:
        return []
    return [
        Error(
            "MEIS_DEMO is on: the development secret key, plain-HTTP cookies, console e-mail "
            "and SMS, and an outbox page showing everyone's sign-in codes.",
            hint="Unset MEIS_DEMO and set SECRET_KEY, ALLOWED_HOSTS and the mail and SMS "
            "gateways (docs/configuration.md).",
            id="meis.E001",
        )
    ]
