"""The API's call log: every call a registered client makes, whatever its answer, is one
`ApiCall` with the client, the operation, the answer's status and the purpose the client gave
(an auditor reads them in the administration; the reads of a person's data among them are
also that person's audit events).

A client's call (one with a bearer token) runs in one transaction with its log row: the audit
and usage events a check writes and the call's own row are committed together, one flush to
disk instead of two, and never one without the other."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from meis.api.models import ApiCall, ApiClient
from meis.audit.services import client_address_from


class ApiCallLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (
            request.path.startswith("/api/")
            and request.headers.get("Authorization", "").lower().startswith("bearer ")
        ):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            self._log(request, response)
        return response

    def _log(self, request: HttpRequest, response: HttpResponse) -> None:
        client = getattr(request, "auth", None)
        if isinstance(client, ApiClient):
            match = request.resolver_match
            ApiCall.objects.create(
                client=client,
                # The route's pattern, never the path itself: a path may carry a code or reference.
                operation=(match.route if match else "")[:64],
                method=(request.method or "")[:8],
                status=response.status_code,
                purpose=str(getattr(request, "api_purpose", ""))[:64],
                client_address=client_address_from(request),
            )
