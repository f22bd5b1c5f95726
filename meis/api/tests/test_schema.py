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
from schemathesis.specs.openapi.checks import negative_data_rejection

from meis.api import ratelimit
from meis.api.api import api
from meis.api.models import ApiClient, Scope
from meis.api.services import client_register, credential_issue, token_issue
from meis.wsgi import application

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = application


@pytest.fixture(autouse=True)
def _served_locally(settings: Any, db: None) -> Iterator[None]:  # noqa: F811 — pytest-django's
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.API_OPEN_RATE_LIMIT_PER_MINUTE = 1_000_000
    ratelimit.rate_limit_reset()
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
def test_the_api_keeps_its_own_document(case: Any, every_scope: str) -> None:
    """With a token that carries every scope, so that the generated requests reach the
    endpoints' own validation and code, not only the bearer check."""
    headers = (
        {} if case.operation.path == "/api/v1/token" else {"Authorization": f"Bearer {every_scope}"}
    )
    # Every check but one: a request with a part the API does not read (a query parameter with
    # no name, a multipart body with no field in it) is answered as if the part were not there,
    # as HTTP APIs commonly do, where schemathesis would want it refused.
    case.call_and_validate(headers=headers, excluded_checks=[negative_data_rejection])


@pytest.fixture
def every_scope(db: None) -> str:  # noqa: F811 — pytest-django's
    client, _ = client_register(
        name="schemathesis", institution="Schemathesis", scopes=list(Scope.values)
    )
    client.rate_limit_per_minute = 1_000_000
    client.save()
    return token_issue_for(client)


def token_issue_for(client: ApiClient) -> str:
    issued = credential_issue(client=client)
    return token_issue(key_id=issued.key_id, secret=issued.secret, address=None).token
