"""Answers the machine endpoints before the rest of the middleware runs (see `views`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, JsonResponse

from meis.monitoring import views

ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponseBase]] = {
    "/healthz": views.liveness,
    "/readyz": views.readiness,
    "/metrics": views.metrics,
}


class MonitoringMiddleware:
    """`/healthz`, `/readyz` and `/metrics` (GET or HEAD), whatever the Host header: no session,
    locale, CSRF, HTTPS redirect or host check. Placed after meis.core.proxy (the metrics'
    address check reads the client's address) and django-prometheus's first middleware (probes
    and scrapes are counted too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        endpoint = ENDPOINTS.get(request.path_info.rstrip("/") or "/")
        if endpoint is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"status": "fail", "detail": "Use GET."}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return endpoint(request)
