"""API v1: the NinjaAPI object, its routers, and the problem-details answers for every error."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from meis.api import applications, certificates, clients, employers, persons, rules, vacancies
from meis.api.problems import problem
from meis.api.ratelimit import rate_limit_hit
from meis.audit.services import client_address_from
from meis.core.formats import decimal_number


class MeisAPI(NinjaAPI):
    """NinjaAPI whose document says what the errors really are: problem+json, not plain JSON."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(*args, **kwargs)
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                _optional_upload(operation.get("requestBody", {}))
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        content["application/problem+json"] = content.pop("application/json")
        return document


def _optional_upload(body: dict[str, Any]) -> None:
    """An upload form whose file may be left out: say so as OpenAPI means it (the body is not
    required; the file, when sent, is binary), not as pydantic writes an optional field (a
    required body whose file may be the JSON null, which a form cannot carry)."""
    form = body.get("content", {}).get("multipart/form-data", {}).get("schema", {})
    if not form or form.get("required"):
        return
    body["required"] = False
    for name, field in form.get("properties", {}).items():
        choices = [c for c in field.get("anyOf", []) if c.get("type") != "null"]
        if len(choices) == 1:
            form["properties"][name] = {**choices[0], "title": field.get("title", name)}


api = MeisAPI(
    title="MEİS API",
    version="1",
    description=(
        "The machine interface of MEİS, the ministry's social-protection information system. "
        "Errors are RFC 9457 problem details (application/problem+json) with a title in the "
        "language of Accept-Language (az, en, ru). The rules endpoints are open to anyone, "
        "limited per address. The other endpoints are for registered clients (OAuth 2 client "
        "credentials: POST /api/v1/token), each within the scopes it was registered for; every "
        "call is logged with the client and the purpose it gave."
    ),
    urls_namespace="api",
    docs_url="/docs",
)


class Limited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


def _open_rate_limit(request: HttpRequest) -> bool:
    """Open endpoints: a limit per client address (auth callable: True lets the call through)."""
    verdict = rate_limit_hit(
        f"open:{client_address_from(request) or 'unknown'}", limit=rules.open_limit()
    )
    if not verdict.allowed:
        raise Limited(verdict.retry_after)
    return True


api.add_router("/", rules.router, auth=_open_rate_limit)
api.add_router("/", clients.router, auth=_open_rate_limit)
api.add_router("/", certificates.router)
api.add_router("/", persons.router)
api.add_router("/", applications.router)
api.add_router("/", employers.router)
api.add_router("/", vacancies.router, auth=_open_rate_limit)


@api.exception_handler(applications.ApplicationProblem)
def _application_problem(
    request: HttpRequest, error: applications.ApplicationProblem
) -> HttpResponse:
    return problem(request, error.kind, error.status, error.detail, **error.extra)


@api.exception_handler(clients.Unauthorized)
def _unauthorized(request: HttpRequest, error: clients.Unauthorized) -> HttpResponse:
    response = problem(request, "unauthorized", 401, error=error.error)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


@api.exception_handler(clients.Forbidden)
def _forbidden(request: HttpRequest, error: clients.Forbidden) -> HttpResponse:
    return problem(
        request,
        "forbidden",
        403,
        _("This client's token does not carry the scope %(scope)s.") % {"scope": error.scope},
        error="insufficient_scope",
    )


@api.exception_handler(clients.ClientLimited)
def _client_limited(request: HttpRequest, error: clients.ClientLimited) -> HttpResponse:
    return _limited(request, Limited(error.retry_after))


@api.exception_handler(Limited)
def _limited(request: HttpRequest, error: Limited) -> HttpResponse:
    response = problem(
        request,
        "rate-limited",
        429,
        _("Wait %(seconds)s seconds before the next request.") % {"seconds": error.retry_after},
    )
    response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(rules.RulesProblem)
def _rules_problem(request: HttpRequest, error: rules.RulesProblem) -> HttpResponse:
    return problem(request, error.kind, error.status, error.detail)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields = [
        {
            "field": _field_path(item.get("loc", ())),
            # pydantic puts "Value error, " before the words of our own validators
            "message": str(item.get("msg", "")).removeprefix("Value error, "),
        }
        for item in error.errors
    ]
    return problem(request, "invalid-input", 422, errors=fields)


def _field_path(loc: Any) -> str:
    """Where the bad value is, as the caller wrote it: "body.fin", "query.on",
    "header.Idempotency-Key" (ninja puts its parameter's own name second: "body.body.fin")."""
    parts = [str(part) for part in loc]
    if len(parts) >= 3 and parts[0] in {"body", "query", "form", "path", "header", "file"}:
        del parts[1]
    return ".".join(parts)


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return problem(
        request,
        "too-large",
        413,
        _("Send at most %(megabytes)s MB in one request.")
        % {"megabytes": decimal_number(limit / 1_048_576, 1)},
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = problem(request, "unauthorized", 401, error="invalid_client")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    kind = {400: "malformed", 404: "not-found", 405: "method-not-allowed", 413: "too-large"}.get(
        error.status_code, "malformed"
    )
    return problem(request, kind, error.status_code, str(error))
