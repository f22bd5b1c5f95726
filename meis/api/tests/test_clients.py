"""Registered clients: a bank exchanges its id and secret for a token, verifies a certificate by
its code, and the holder sees that check; a client without the scope, a revoked key, an expired
token, a wrong address and a burst past the client's limit are each refused in problem+json."""

from __future__ import annotations

import base64
import datetime
import io
from typing import Any

import pytest
import time_machine
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.api import ratelimit
from meis.api.models import ApiCredential, ApiToken, Scope
from meis.api.services import TOKEN_LIFETIME, client_register, credential_issue, credential_revoke
from meis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def token_for(key_id: str, secret: str, address: str = "10.1.2.3", **form: str) -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/token",
        {"grant_type": "client_credentials", "client_id": key_id, "client_secret": secret, **form},
    )


def bearer(token: str, address: str = "10.1.2.3") -> Client:
    return Client(REMOTE_ADDR=address, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_bank_verifies_a_certificate_and_the_holder_sees_the_check(
    bank, certificate_code, pensioner
):
    _, issued = bank
    response = token_for(issued.key_id, issued.secret)
    assert response.status_code == 200
    token = response.json()
    assert (token["token_type"], token["expires_in"], token["scope"]) == (
        "Bearer",
        900,
        "certificates:verify",
    )

    checked = bearer(token["access_token"]).get(f"/api/v1/certificates/{certificate_code}")

    assert checked.status_code == 200
    assert checked.json()["status"] == "valid"
    event = AuditEvent.objects.get(action="certificate.verify")
    assert (event.actor_institution, event.client_address) == ("Kapital Bank", "10.1.2.3")
    looked = signed_in_citizen_client(pensioner).get("/en/my/who-looked/").content.decode()
    assert "Kapital Bank" in looked


def test_the_secret_and_the_token_are_kept_only_as_hashes(bank):
    _, issued = bank
    token = token_for(issued.key_id, issued.secret).json()["access_token"]
    credential = ApiCredential.objects.get(key_id=issued.key_id)
    assert issued.secret not in credential.secret_hash
    # Hashed as staff passwords are, with the project's first hasher (MD5 in the test settings
    # only, for speed), and salted.
    assert identify_hasher(credential.secret_hash).algorithm == get_hasher().algorithm
    assert not ApiToken.objects.filter(digest=token).exists()


def test_http_basic_works_as_the_form_does(bank):
    _, issued = bank
    basic = base64.b64encode(f"{issued.key_id}:{issued.secret}".encode()).decode()
    response = Client().post(
        "/api/v1/token", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("key_id", "secret", "form", "error"),
    [
        ("mc_nobody", "x", {}, "invalid_client"),
        (None, "wrong", {}, "invalid_client"),
        (None, None, {"grant_type": "password"}, "unsupported_grant_type"),
        (None, None, {"scope": "persons:status"}, "invalid_scope"),
    ],
)
def test_bad_credentials_get_a_401_problem(bank, key_id, secret, form, error):
    _, issued = bank
    response = token_for(key_id or issued.key_id, secret or issued.secret, **form)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["error"] == error
    assert not ApiToken.objects.exists()


def test_a_client_without_the_scope_cannot_verify(certificate_code):
    ratelimit.rate_limit_reset()
    _, issued = client_register(name="gateway", institution="E-gov gateway", scopes=[])
    token = token_for(issued.key_id, issued.secret).json()["access_token"]

    response = bearer(token).get(f"/api/v1/certificates/{certificate_code}")

    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    assert not AuditEvent.objects.filter(action="certificate.verify").exists()


def test_a_rotated_key_overlaps_and_a_revoked_one_stops_at_once(bank, certificate_code):
    client, old = bank
    new = credential_issue(client=client)
    old_token = token_for(old.key_id, old.secret).json()["access_token"]
    assert token_for(new.key_id, new.secret).status_code == 200  # both valid while rotating

    credential_revoke(key_id=old.key_id)

    assert token_for(old.key_id, old.secret).json()["error"] == "revoked_credential"
    refused = bearer(old_token).get(f"/api/v1/certificates/{certificate_code}")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_or_replayed_made_up_token_is_refused(bank, certificate_code):
    _, issued = bank
    token = token_for(issued.key_id, issued.secret).json()["access_token"]
    with time_machine.travel(timezone.now() + TOKEN_LIFETIME + datetime.timedelta(seconds=1)):
        expired = bearer(token).get(f"/api/v1/certificates/{certificate_code}")
    assert expired.json()["error"] == "expired_token"
    assert bearer("made-up").get(f"/api/v1/certificates/{certificate_code}").status_code == 401
    assert Client().get(f"/api/v1/certificates/{certificate_code}").status_code == 401


def test_a_client_calls_only_from_its_addresses(certificate_code):
    ratelimit.rate_limit_reset()
    _, issued = client_register(
        name="payroll",
        institution="Payroll Ltd",
        scopes=[Scope.CERTIFICATES_VERIFY],
        allowed_addresses=("192.0.2.0/24",),
    )
    assert token_for(issued.key_id, issued.secret, address="10.1.2.3").json()["error"] == (
        "address_not_allowed"
    )
    token = token_for(issued.key_id, issued.secret, address="192.0.2.7").json()["access_token"]
    assert (
        bearer(token, address="192.0.2.7")
        .get(f"/api/v1/certificates/{certificate_code}")
        .status_code
        == 200
    )
    assert (
        bearer(token, address="10.1.2.3")
        .get(f"/api/v1/certificates/{certificate_code}")
        .status_code
        == 401
    )


def test_a_burst_past_the_clients_own_limit_waits(bank, certificate_code):
    client, issued = bank
    client.rate_limit_per_minute = 2
    client.save()
    # In the middle of the next minute, frozen: a minute boundary between the calls would open a
    # fresh window and let the third through.
    minute = int(timezone.now().timestamp() // 60) + 1
    middle = datetime.datetime.fromtimestamp(minute * 60 + 30, tz=datetime.UTC)
    with time_machine.travel(middle, tick=False):
        token = token_for(issued.key_id, issued.secret).json()["access_token"]
        codes = [
            bearer(token).get(f"/api/v1/certificates/{certificate_code}").status_code
            for _ in range(3)
        ]
    assert codes == [200, 200, 429]


def test_an_unknown_code_is_not_found(bank):
    _, issued = bank
    token = token_for(issued.key_id, issued.secret).json()["access_token"]
    response = bearer(token).get("/api/v1/certificates/AAAAA-AAAAA-AAAAA")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_an_administrator_registers_a_client_and_sees_the_secret_once():
    out = io.StringIO()
    call_command(
        "api",
        "client-register",
        "--name",
        "abb",
        "--institution",
        "ABB",
        "--scope",
        "certificates:verify",
        stdout=out,
    )
    printed = out.getvalue()
    key_id = printed.split("client_id:")[1].split()[0]
    secret = printed.split("client_secret:")[1].split()[0]
    ratelimit.rate_limit_reset()
    assert token_for(key_id, secret).status_code == 200
    with pytest.raises(CommandError, match="exists already"):
        call_command(
            "api",
            "client-register",
            "--name",
            "abb",
            "--institution",
            "ABB",
            "--scope",
            "certificates:verify",
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="Not an address"):
        call_command(
            "api",
            "client-register",
            "--name",
            "x",
            "--institution",
            "X",
            "--scope",
            "certificates:verify",
            "--allow",
            "not-an-ip",
            stdout=io.StringIO(),
        )
