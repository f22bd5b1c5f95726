"""The demo staff can sign in with the published password and TOTP secret."""

import pytest
from django.urls import reverse

from meis.demo.staff import DEMO_PASSWORD, accounts_demo_load, demo_totp_now

pytestmark = pytest.mark.django_db


def test_the_demo_case_worker_signs_in_with_the_published_credentials(client):
    accounts_demo_load()
    response = client.post(
        reverse("accounts:staff_sign_in"),
        {"username": "demo-caseworker", "password": DEMO_PASSWORD, "otp_token": demo_totp_now()},
    )
    assert response.url == reverse("accounts:staff_home")


def test_loading_the_demo_twice_changes_nothing(client):
    first = accounts_demo_load()
    assert accounts_demo_load() == first
