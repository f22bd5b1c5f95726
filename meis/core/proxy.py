"""The client's address behind the TLS-terminating proxy, from that proxy only.

Every per-address limit (sign-in, codes, certificate checks, the open API) reads REMOTE_ADDR.
Behind a proxy REMOTE_ADDR is the proxy, so all citizens share one budget and one attacker can
pause everyone's sign-in; taking X-Forwarded-For from anyone lets a client choose its own
address. So the header is read only when the connection comes from a configured trusted proxy
(TRUSTED_PROXIES: addresses or networks), and then from the right: each trusted proxy appends
the address it saw, and the first address from the right that is not a trusted proxy is the
client. Anything malformed leaves REMOTE_ADDR as the connection's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """The valid entries (a malformed one is refused by `meis check`, meis.E002, and trusted
    by no request here)."""
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(peer: str, forwarded_for: str, proxies: Sequence[str]) -> str:
    """The client's address: `peer` unless it is a trusted proxy, else the right-most address of
    `forwarded_for` that is not one (the peer's when the header has none or is malformed)."""
    networks = _networks(tuple(proxies))
    peer_address = _address(peer)
    if not networks or peer_address is None:
        return peer
    if not any(peer_address in network for network in networks):
        return peer
    if len(forwarded_for) > 1024 or "\x00" in forwarded_for:
        return peer
    hops = [_address(part) for part in forwarded_for.split(",")]
    if not hops or any(hop is None for hop in hops):
        return peer
    for hop in reversed(hops):
        assert hop is not None  # noqa: S101 — checked above
        if not any(hop in network for network in networks):
            return str(hop)
    return peer


class TrustedProxyMiddleware:
    """Sets REMOTE_ADDR to the client's address (`client_address`) before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        proxies = settings.MEIS_TRUSTED_PROXIES
        if proxies:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                proxies,
            )
        return self.get_response(request)
