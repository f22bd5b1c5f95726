"""`meis check`: the metrics' allowed networks must all be addresses or networks."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security)
def metrics_networks_are_valid(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> list[CheckMessage]:
    """A malformed entry would be skipped silently and the scraper refused without a reason."""
    messages: list[CheckMessage] = []
    for entry in settings.METRICS_ALLOWED_NETWORKS:
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            messages.append(
                Error(
                    f"METRICS_ALLOWED_NETWORKS holds {entry!r}, which is not an address or a "
                    "network.",
                    hint="List the scrapers' addresses or networks, comma-separated.",
                    id="meis.E003",
                )
            )
    return messages
