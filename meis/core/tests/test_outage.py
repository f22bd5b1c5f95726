"""While the database cannot be reached the answer is 503 with a retry hint, in the address's
language (problem+json for the API) — not 500. Any other error is still the 500 page."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def unreachable(*args: object, **kwargs: object) -> None:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_a_page_during_an_outage_is_a_503_in_its_language(monkeypatch):
    monkeypatch.setattr("meis.catalog.selectors.eservice_list", unreachable)

    response = Client(raise_request_exception=False).get("/az/services/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Xidmət qısa müddətə əlçatan deyil" in response.content.decode()


def test_an_api_call_during_an_outage_is_a_503_problem(monkeypatch):
    monkeypatch.setattr("meis.api.rules.list_everything", unreachable)

    response = Client(raise_request_exception=False).get("/api/v1/schemes")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503
    assert response["Retry-After"] == "30"


def test_any_other_error_is_still_the_500_page(monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("meis.catalog.selectors.eservice_list", broken)

    response = Client(raise_request_exception=False).get("/en/services/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
