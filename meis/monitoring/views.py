"""The machine endpoints: liveness, readiness and metrics (language-neutral, no sign-in).

They are answered by `middleware.MonitoringMiddleware` before sessions, locale, CSRF and the host
check: a load balancer probes by the server's address, not the site's name, and a probe must
cost almost nothing. Nothing here is personal data.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from prometheus_client import CONTENT_TYPE_LATEST

from meis.monitoring import selectors
from meis.monitoring.metrics import exposition

logger = logging.getLogger(__name__)

OK = "ok"
FAIL = "fail"
READINESS_CACHE_KEY = "meis:monitoring:readyz"


def liveness(request: HttpRequest) -> HttpResponse:
    """200 while the process can answer at all; touches neither the database nor the cache, so
    an outage of either does not get healthy processes restarted."""
    return _json({"status": OK}, status=200)


def readiness(request: HttpRequest) -> HttpResponse:
    """200 when this process can serve pages: the database and the shared cache (the limits'
    counters) answer; else 503, and the load balancer sends requests elsewhere. The outbox's
    due backlog is reported but never fails the check: taking every web process out of rotation
    would not send a message sooner (the metrics alert on it)."""
    checks = {"database": _database_check(), "cache": _cache_check()}
    ready = all(result == OK for result in checks.values())
    body: dict[str, object] = {"status": OK if ready else FAIL, "checks": checks}
    if checks["database"] == OK:
        body["outbox"] = _outbox_summary()
    return _json(body, status=200 if ready else 503)


def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus exposition, for a configured scraper only: a request from one of
    METRICS_ALLOWED_NETWORKS or carrying `Authorization: Bearer <METRICS_TOKEN>`."""
    if not metrics_allowed(request):
        return _json(
            {
                "status": FAIL,
                "detail": "Metrics are for the configured scraper only: send the bearer token "
                "(METRICS_TOKEN) or scrape from METRICS_ALLOWED_NETWORKS.",
            },
            status=403,
        )
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    add_never_cache_headers(response)
    return response


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.META.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    # REMOTE_ADDR is the client's own address by now (meis.core.proxy runs first).
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _networks(settings.METRICS_ALLOWED_NETWORKS))


def _networks(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The valid entries (`meis check` refuses a malformed one, meis.E003)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Readiness: the database does not answer")
        return FAIL
    return OK


def _cache_check() -> str:
    """A write and a read back: the sign-in and code limits need both."""
    value = secrets.token_hex(8)
    try:
        cache.set(READINESS_CACHE_KEY, value, timeout=10)
        answered = cache.get(READINESS_CACHE_KEY)
    except Exception:  # any backend's own connection error (redis, memcached, …)
        logger.exception("Readiness: the cache does not answer")
        return FAIL
    return OK if answered is not None else FAIL


def _outbox_summary() -> dict[str, object]:
    now = timezone.now()
    try:
        backlog = selectors.outbox_backlog(now=now)
    except DatabaseError:
        logger.exception("Readiness: cannot read the outbox")
        return {}
    oldest = backlog.oldest_due_at
    return {
        "due_oldest_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "pending": sum(backlog.by_status.values()),
    }


def _json(body: dict[str, object], *, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    return response
