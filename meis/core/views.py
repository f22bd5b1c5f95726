"""The health check polled by load balancers and monitoring (language-neutral, no sign-in)."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from meis.core import tasks

logger = logging.getLogger(__name__)

OK = "ok"
FAIL = "fail"


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 with status "ok" when the database answers and a task worker is alive, else 503."""
    database = _check_database()
    worker = _check_worker() if database == OK else FAIL
    healthy = database == OK and worker == OK
    return JsonResponse(
        {"status": OK if healthy else FAIL, "checks": {"database": database, "worker": worker}},
        status=200 if healthy else 503,
    )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return FAIL
    return OK


def _check_worker() -> str:
    """Alive when a heartbeat finished recently; ask for the next one so it stays fresh."""
    try:
        alive = tasks.worker_is_alive(now=timezone.now())
        tasks.heartbeat_request()
    except DatabaseError:
        logger.exception("Health check: cannot read or enqueue the worker heartbeat")
        return FAIL
    return OK if alive else FAIL


# Seconds a client is asked to wait before trying again while the database is unreachable.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's error-500 view, except while the database cannot be reached: then 503 with a
    retry hint (a page in the address's language, problem+json under /api/) — the outage is
    brief and the service's, not something the visitor did. Called inside Django's exception
    handling, so the exception being handled is `sys.exc_info()`'s."""
    if not _is_outage(sys.exc_info()[1]):
        return defaults.server_error(request)
    language = translation.get_language_from_path(request.path) or settings.LANGUAGE_CODE
    response: HttpResponse
    with translation.override(language):
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "type": "about:blank",
                    "title": str(_("The service is briefly unavailable")),
                    "status": 503,
                    "detail": str(_("Try again in a minute.")),
                },
                status=503,
                content_type="application/problem+json",
            )
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _is_outage(error: BaseException | None) -> bool:
    """An unreachable database, however it was wrapped on the way up."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False
