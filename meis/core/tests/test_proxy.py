"""The client's address behind the TLS proxy: read from X-Forwarded-For only when the connection
comes from a trusted proxy, so citizens behind one proxy each have their own limits and no
client can choose its own address."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from meis.core.proxy import client_address

PROXY = "10.0.0.1"
PROXIES = ["10.0.0.0/29", "192.0.2.7"]


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        (PROXY, "203.0.113.5", "203.0.113.5"),  # one proxy in front
        (PROXY, "203.0.113.5, 192.0.2.7", "203.0.113.5"),  # two trusted hops
        (PROXY, "198.51.100.9, 203.0.113.5", "203.0.113.5"),  # the left entry is the client's claim
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from a proxy: the header is ignored
        (PROXY, "", PROXY),
        (PROXY, "not-an-address", PROXY),
        (PROXY, "203.0.113.5\x00", PROXY),
        (PROXY, "10.0.0.2", PROXY),  # only proxies: the connection's own address
        (PROXY, "2001:db8::5", "2001:db8::5"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(
    peer: str, forwarded_for: str, client: str
) -> None:
    assert client_address(peer, forwarded_for, PROXIES) == client


def test_without_trusted_proxies_the_header_is_never_read() -> None:
    assert client_address(PROXY, "203.0.113.5", []) == PROXY


@pytest.mark.django_db
def test_citizens_behind_one_proxy_have_their_own_check_limit(settings) -> None:
    settings.MEIS_TRUSTED_PROXIES = PROXIES
    settings.CERTIFICATE_VERIFY_LIMIT_PER_ADDRESS = 2
    cache.clear()

    def checks(forwarded_for: str, count: int, peer: str = PROXY) -> list[int]:
        client = Client(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded_for)
        return [client.get("/en/verify/UNKNOWN-CODE/").status_code for _ in range(count)]

    assert checks("203.0.113.5", 3) == [404, 404, 429]
    # Another citizen behind the same proxy still has the whole budget.
    assert checks("203.0.113.6", 2) == [404, 404]
    # A client that is not the proxy cannot escape its limit by naming another address.
    assert checks("198.51.100.1", 3, peer="198.51.100.77") == [404, 404, 429]
    assert checks("198.51.100.2", 1, peer="198.51.100.77") == [429]


def test_a_malformed_proxy_entry_trusts_nothing_and_fails_no_request() -> None:
    assert client_address(PROXY, "203.0.113.5", ["proxy.local"]) == PROXY
    assert client_address(PROXY, "203.0.113.5", ["proxy.local", PROXY]) == "203.0.113.5"
