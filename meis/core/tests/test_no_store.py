"""Pages with personal data are never stored by a browser or proxy; public pages may be."""

from __future__ import annotations

import pytest
from django.test import Client

from meis.accounts.tests.conftest import signed_in_citizen_client

pytestmark = pytest.mark.django_db


def test_a_signed_in_citizens_pages_are_not_stored(citizen):
    response = signed_in_citizen_client(citizen).get("/en/my/record/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_certificate_checks_and_api_answers_are_not_stored():
    assert "no-store" in Client().get("/en/verify/ZZZZZ-ZZZZZ-ZZZZZ/")["Cache-Control"]
    assert "no-store" in Client().get("/api/v1/schemes")["Cache-Control"]


def test_a_public_page_for_a_visitor_is_left_to_its_own_caching():
    response = Client().get("/en/")
    assert "no-store" not in response.get("Cache-Control", "")
