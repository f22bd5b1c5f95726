"""Answers Django leaves bare, given the layout."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string


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
