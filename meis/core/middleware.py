"""Answers Django leaves bare, given the layout."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers


class MethodNotAllowedPageMiddleware:
    """Django's 405 (a form address opened as a link, say) has no body: give it a page.

    Sits after the locale and authentication middleware, so the page is in the address's
    language with the visitor's navigation. Answers with a body of their own (an API's JSON)
    are left as they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and isinstance(response, HttpResponse)
            and not response.content
        ):
            response.content = render_to_string("405.html", request=request).encode()
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class NoStoreMiddleware:
    """Answers that may carry personal data are never stored by a browser or a proxy: every
    page for a signed-in person or staff member, the certificate check pages (they show the
    holder's data to whoever has the code) and the API's answers. Public pages keep their own
    caching; an answer that set Cache-Control itself keeps it."""

    PERSONAL_PATHS = ("/api/", "/verify/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = bool(user is not None and user.is_authenticated) or any(
            part in request.path for part in self.PERSONAL_PATHS
        )
        if personal and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class PermissionsPolicyMiddleware:
    """Every answer refuses the browser features no page uses (camera, microphone, location,
    payment, …: settings.PERMISSIONS_POLICY), so an injected script or a framed page cannot
    ask for them either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not response.has_header("Permissions-Policy"):
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


NUL = "\x00"
REPLACEMENT = "\ufffd"  # what a decoder puts for a character it cannot use


class InputNormalisationMiddleware:
    """Input no page can use stops at the edge, once, instead of in every view.

    A NUL character is valid in a URL's percent-encoding and in HTTP headers, but no text
    PostgreSQL stores or compares may contain one: a query parameter or an address with a NUL
    answered 500 (issue 22). Here an address with a NUL is not a page (404, the usual page in
    the address's language); a NUL in a query parameter's name or value, or in a header, becomes
    U+FFFD, as an undecodable byte already does, so that a search finds nothing and a date is
    refused with the field's own message. Form bodies are left to the forms, whose text fields
    refuse a NUL with a message saying so.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if NUL in request.path_info:
            raise Http404
        if any(NUL in name + "".join(values) for name, values in request.GET.lists()):
            request.GET = _without_nul(request.GET)  # type: ignore[assignment]  # immutable too
        for key, value in list(request.META.items()):
            if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
                request.META[key] = value.replace(NUL, REPLACEMENT)
        return self.get_response(request)


def _without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for name, values in query.lists():
        cleaned.setlist(
            name.replace(NUL, REPLACEMENT), [value.replace(NUL, REPLACEMENT) for value in values]
        )
    cleaned._mutable = False
    return cleaned
