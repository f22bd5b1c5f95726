"""A worker remembers the tokens it accepted, so a client's next call does not read its token
from the database; and still a revoked key, a deactivated client or a narrowed address list
refuses the very next call, in this worker and in every other (meis.api.tokens)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from meis.api import ratelimit, tokens
from meis.api.models import ApiClient
from meis.api.services import credential_revoke
from meis.api.tests.test_clients import bearer, token_for

pytestmark = pytest.mark.django_db


def token_of(key_id: str, secret: str) -> str:
    return str(token_for(key_id, secret).json()["access_token"])


def verify(token: str, code: str) -> Any:
    return bearer(token).get(f"/api/v1/certificates/{code}")


def token_reads(token: str, code: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert verify(token, code).status_code == 200
    return sum('FROM "api_apitoken"' in query["sql"] for query in queries.captured_queries)


def test_a_clients_second_call_does_not_read_its_token_again(bank, certificate_code):
    _, issued = bank
    token = token_of(issued.key_id, issued.secret)

    assert token_reads(token, certificate_code) == 1
    assert token_reads(token, certificate_code) == 0


def test_a_key_revoked_after_use_refuses_the_next_call(
    bank, certificate_code, django_capture_on_commit_callbacks
):
    _, issued = bank
    token = token_of(issued.key_id, issued.secret)
    assert verify(token, certificate_code).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        credential_revoke(key_id=issued.key_id)

    refused = verify(token, certificate_code)
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_token"  # its tokens are gone with the key


def test_a_change_made_in_another_worker_refuses_the_next_call_here(bank, certificate_code):
    client, issued = bank
    token = token_of(issued.key_id, issued.secret)
    assert verify(token, certificate_code).status_code == 200  # remembered here

    # Another worker (the administration) deactivates the client: the database changes, and the
    # generation in Redis is raised after the commit; nothing in this process is told.
    ApiClient.objects.filter(pk=client.pk).update(is_active=False)
    ratelimit.redis_client().incr(tokens.generation_key())

    refused = verify(token, certificate_code)
    assert refused.status_code == 401
    assert refused.json()["error"] == "revoked_credential"


class _FormFields(HTMLParser):
    """The fields an administrator's browser would send back from a change page."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            else:
                self.data[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


def test_an_administrator_narrowing_the_addresses_refuses_the_next_call(
    bank, certificate_code, admin_client, django_capture_on_commit_callbacks
):
    client, issued = bank
    token = token_of(issued.key_id, issued.secret)
    assert (
        verify(token, certificate_code).status_code == 200
    )  # remembered, with the old address list

    url = f"/en/admin/api/apiclient/{client.pk}/change/"
    fields = _FormFields()
    fields.feed(admin_client.get(url).content.decode())
    fields.data["allowed_addresses"] = '["192.0.2.0/24"]'
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_client.post(url, fields.data)
    assert saved.status_code == 302, saved.context["errors"] if saved.context else saved

    assert verify(token, certificate_code).status_code == 401


def test_without_redis_nothing_is_remembered(bank, certificate_code):
    client, issued = bank
    token = token_of(issued.key_id, issued.secret)
    ratelimit.redis_client.cache_clear()
    try:
        with override_settings(API_RATE_LIMIT_REDIS_URL="redis://127.0.0.1:1/0"):
            assert verify(token, certificate_code).status_code == 200
            assert token_reads(token, certificate_code) == 1  # read again: no generation to trust
            ApiClient.objects.filter(pk=client.pk).update(is_active=False)
            assert verify(token, certificate_code).status_code == 401
    finally:
        ratelimit.redis_client.cache_clear()
