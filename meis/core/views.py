"""The health check polled by load balancers and monitoring (language-neutral, no sign-in)."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
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
