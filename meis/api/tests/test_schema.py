"""Schemathesis against the API's OpenAPI document: generated requests (bounded) to every
endpoint, sent to the WSGI application, get no server error and no answer that breaks the
document. (The document is the one `/api/v1/openapi.json` serves: `test_rules_api` checks that.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from meis.api.api import api
from meis.wsgi import application

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = application


@pytest.fixture(autouse=True)
def _served_locally(settings: Any, db: None) -> Iterator[None]:  # noqa: F811 — pytest-django's
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.API_OPEN_RATE_LIMIT_PER_MINUTE = 1_000_000
    # Called as a WSGI application, Django would close the test's database connection at the
    # end of each request (inside the test's transaction); its test client stops that the same
    # way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_own_document(case: Any) -> None:
    case.call_and_validate()
