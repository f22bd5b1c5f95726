"""RFC 9457 problem details: every error of the API is `application/problem+json` with a `type`
naming the kind of problem, a `title` in the caller's language (Accept-Language), the HTTP
`status`, a `detail` for this occurrence and, for invalid input, the `errors` field by field."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

TYPE_BASE = "https://meis.gov.az/problems/"


def _titles() -> dict[str, str]:
    return {
        "invalid-input": _("The request's data is not valid"),
        "malformed": _("The request could not be read"),
        "not-found": _("Not found"),
        "rate-limited": _("Too many requests"),
        "unknown-scheme": _("No such rules scheme"),
        "impossible-facts": _("The facts cannot all be true"),
        "method-not-allowed": _("Method not allowed"),
        "too-large": _("The request is too large"),
        "server-error": _("Something went wrong on our side"),
        "unauthorized": _("The client is not authenticated"),
        "forbidden": _("The client may not do this"),
        "idempotency-key-reused": _("The Idempotency-Key was used for another request"),
        "application-refused": _("The application cannot be accepted"),
    }


def problem(
    request: HttpRequest,
    kind: str,
    status: int,
    detail: str = "",
    **extra: Any,
) -> JsonResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind,
        "title": _titles().get(kind, kind),
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JsonResponse(
        body,
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )
