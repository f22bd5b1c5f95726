# mypy: disable-error-code="attr-defined,misc"
"""Staff sign in with username, password and a TOTP code; a password alone opens nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meis.accounts.tests.conftest import totp_now
from meis.accounts.tests.factories import STAFF_PASSWORD
from meis.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

# The English pages: these tests read their wording.
with translation.override("en"):
    STAFF_SIGN_IN = reverse("accounts:staff_sign_in")
    STAFF_HOME = reverse("accounts:staff_home")


def sign_in(client, user, *, password=STAFF_PASSWORD, token=None, address="10.1.1.1"):
    data = {"username": user.username, "password": password, "otp_token": token or totp_now(user)}
    return client.post(STAFF_SIGN_IN, data, REMOTE_ADDR=address)


def test_staff_sign_in_with_password_and_totp(client, case_worker):
    response = sign_in(client, case_worker)
    assert response.url == STAFF_HOME
    assert client.get(STAFF_HOME).status_code == 200


def test_staff_sign_in_is_audited_with_its_method(client, case_worker):
    sign_in(client, case_worker)
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN, actor=case_worker)
    assert event.details["method"] == "password+TOTP"


def test_a_wrong_totp_code_does_not_sign_in(client, case_worker):
    wrong = f"{(int(totp_now(case_worker)) + 1) % 10**6:06d}"
    response = sign_in(client, case_worker, token=wrong)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_password_alone_does_not_open_staff_pages(case_worker):
    client = Client()
    client.force_login(case_worker)
    response = client.get(STAFF_HOME)
    assert response.status_code == 302
    assert response.url.startswith(STAFF_SIGN_IN)


def test_a_wrong_password_with_a_right_code_does_not_sign_in(client, case_worker):
    sign_in(client, case_worker, password="wrong password")
    assert "_auth_user_id" not in client.session


def test_staff_are_paused_after_five_failed_sign_ins(client, case_worker):
    for _ in range(5):
        sign_in(client, case_worker, password="wrong password")
    response = sign_in(client, case_worker)
    assert response.status_code == 429
    assert "Try again after" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_totp_codes_count_towards_the_pause(client, case_worker):
    for _ in range(5):
        sign_in(client, case_worker, token="000000")
    assert sign_in(client, case_worker).status_code == 429


def test_a_citizen_account_cannot_use_the_staff_sign_in(client, citizen):
    from meis.accounts.services import citizen_account_get_or_create

    user = citizen_account_get_or_create(person=citizen)
    response = client.post(
        STAFF_SIGN_IN, {"username": user.username, "password": "", "otp_token": "000000"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
