"""A NUL character never reaches a view: the causes of issue 22's 500s, stopped at the edge.

On PostgreSQL these answered 500 (a text value cannot contain NUL); `tests/test_fuzz_pages.py`
sends such values to every page, this file names the ones the issue found."""

from __future__ import annotations

import pytest
from django.test import Client

from meis.accounts.tests.conftest import signed_in_citizen_client

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_search_finds_nothing_instead_of_failing():
    response = Client().get("/en/services/?q=%00")
    assert response.status_code == 200


def test_a_nul_in_a_query_parameter_name_is_harmless_too():
    assert Client().get("/en/services/?q%00x=a%00b").status_code == 200


def test_an_address_with_a_nul_is_not_a_page(citizen):
    response = signed_in_citizen_client(citizen).get("/az/applications/%00/")
    assert response.status_code == 404
    assert 'lang="az"' in response.content.decode()


def test_a_nul_in_a_header_is_harmless():
    response = Client().get(
        "/en/verify/", HTTP_X_VERIFIER_ORGANISATION="a\x00b", HTTP_ACCEPT_LANGUAGE="ru\x00"
    )
    assert response.status_code == 200


def test_a_date_with_a_nul_gets_the_fields_own_message(analyst):
    from meis.accounts.testing import otp_verified

    client = otp_verified(Client(), analyst)
    response = client.get("/en/backoffice/statistics/", {"start": "2020-03-01\x00"})
    assert response.status_code == 400
    assert "Enter the first day as a date" in response.content.decode()


def test_a_slash_in_a_certificate_code_is_a_field_error():
    response = Client().get("/en/verify/", {"code": "a/b"})
    assert response.status_code in (200, 400)
