"""Deployment checks of our own, run by `meis check --deploy` beside Django's."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


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


# Caches whose entries live in one process: each web worker would count limits alone.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, deploy=True)
def limits_are_shared(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> list[CheckMessage]:
    """Sign-in lock-outs and code and certificate-check limits are counted in the default cache;
    with a per-process cache two web workers let through twice the limit."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.MEIS_DEMO or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The default cache is per process: each web worker counts sign-in failures and the "
            "code and certificate-check limits alone, so the limits do not hold.",
            hint="Set CACHE_URL=rediscache://127.0.0.1:6379/1 (docs/configuration.md).",
            id="meis.W001",
        )
    ]


@register(Tags.security, deploy=True)
def proxy_is_trusted_by_address(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> list[CheckMessage]:
    """Behind a TLS proxy (SECURE_PROXY_SSL_HEADER) the connection's address is the proxy's:
    without TRUSTED_PROXIES every per-address limit is one budget shared by all clients."""
    proxies = list(getattr(settings, "MEIS_TRUSTED_PROXIES", []))
    messages: list[CheckMessage] = []
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy.strip(), strict=False)
        except ValueError:
            messages.append(
                Error(
                    f"TRUSTED_PROXIES holds {proxy!r}, which is not an address or a network.",
                    hint="List the proxies' addresses or networks, comma-separated.",
                    id="meis.E002",
                )
            )
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not proxies:
        messages.append(
            Warning(
                "SECURE_PROXY_SSL_HEADER is set but TRUSTED_PROXIES is empty: the clients' "
                "addresses are the proxy's, so per-address limits are shared by everyone.",
                hint="Set TRUSTED_PROXIES to the proxy's address (docs/configuration.md).",
                id="meis.W002",
            )
        )
    return messages


@register(Tags.security, deploy=True)
def uploads_are_scanned(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> list[CheckMessage]:
    """Uploads are parsed and sanitised (ADR 0023), but a virus inside a valid JPEG or PDF
    stream is found only by a scanner: production names one."""
    if settings.MEIS_DEMO or settings.MEIS_CLAMD_SOCKET or settings.MEIS_VIRUS_SCANNER:
        return []
    return [
        Warning(
            "No virus scanner is configured: uploaded documents and e-mail attachments are "
            "stored without a virus scan.",
            hint="Run ClamAV's clamd and set CLAMD_SOCKET=/run/clamav/clamd.ctl "
            "(docs/configuration.md).",
            id="meis.W003",
        )
    ]
