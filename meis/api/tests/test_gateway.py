"""The e-government gateway's calls: a person's status on a day (with a purpose the person then
reads in "who looked at my data"), an application submitted twice under one Idempotency-Key
that makes one case, and its status read back; each scope keeps a client inside what it was
registered for, every call is in the call log, and bad input gets a precise problem."""

from __future__ import annotations

import base64
import datetime
import uuid
from typing import Any

import pytest
from django.test import Client

from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.api import ratelimit
from meis.api.models import ApiCall, Scope
from meis.api.services import client_register
from meis.audit.models import AuditEvent
from meis.awards.models import Award, AwardKind, AwardOrigin, DecisionBasis
from meis.cases.models import Case
from meis.cases.tests.conftest import answers
from meis.core.tests.samples import pdf_bytes
from meis.lifeevents.models import DisabilityDecision
from meis.usage.models import UsageEvent

pytestmark = pytest.mark.django_db

PDF = pdf_bytes("hello")


def registered(*scopes: str, institution: str = "E-gov gateway") -> Client:
    ratelimit.rate_limit_reset()
    _, issued = client_register(
        name=f"{institution}-{uuid.uuid4().hex[:6]}", institution=institution, scopes=list(scopes)
    )
    token = Client(REMOTE_ADDR="10.5.5.5").post(
        "/api/v1/token",
        {
            "grant_type": "client_credentials",
            "client_id": issued.key_id,
            "client_secret": issued.secret,
        },
    )
    assert token.status_code == 200, token.content
    return Client(
        REMOTE_ADDR="10.5.5.5", HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}"
    )


@pytest.fixture
def gateway() -> Client:
    return registered(Scope.PERSON_STATUS, Scope.APPLICATIONS_SUBMIT, Scope.APPLICATIONS_READ)


def award(person: Any, kind: str, start: datetime.date, end: datetime.date | None = None) -> None:
    basis, _ = DecisionBasis.objects.get_or_create(
        scheme=kind, on=start, rules_version="t", parameters={}
    )
    Award.objects.create(
        person=person,
        kind=kind,
        amount_qepik=10_000,
        start_on=start,
        end_on=end,
        origin=AwardOrigin.CASE_DECISION,
        basis=basis,
        record={},
    )


def status_of(client: Client, fin: str, language: str = "en", **body: Any) -> Any:
    return client.post(
        "/api/v1/person-status",
        {"fin": fin, "purpose": "fee-exemption", **body},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


# --- Person status ----------------------------------------------------------------------------
def test_the_gateway_learns_a_pensioners_status_and_the_person_sees_why(gateway, citizen):
    award(citizen, AwardKind.OLD_AGE_PENSION, datetime.date(2020, 1, 1))
    DisabilityDecision.objects.create(
        person=citizen,
        degree="II",
        decided_on=datetime.date(2019, 5, 1),
        reexamine_on=datetime.date(2021, 5, 1),
    )

    answer = status_of(gateway, citizen.fin, on="2020-03-16", reference="EGOV-77")

    assert answer.status_code == 200, answer.content
    assert answer.json() == {
        "fin": citizen.fin,
        "on": "2020-03-16",
        "alive": True,
        "pensioner": True,
        "benefit_recipient": False,
        "assistance_recipient": False,
        "unemployment_benefit_recipient": False,
        "disability_degree": "II",
        "registered_unemployed": None,
        "registers_not_connected": ["employment"],
    }
    event = AuditEvent.objects.get(action="person.read", person=citizen)
    assert (event.actor_institution, event.actor_role, event.purpose) == (
        "E-gov gateway",
        "api_client",
        "fee-exemption",
    )
    assert event.details["reference"] == "EGOV-77"
    looked = signed_in_citizen_client(citizen).get("/az/my/who-looked/").content.decode()
    assert "E-gov gateway" in looked
    assert "Ödənişdən güzəşt və ya azadolma verilməsi" in looked  # the purpose, in Azerbaijani
    assert "fee-exemption" not in looked
    assert "Dövlət qurumunun informasiya sistemi" in looked  # the role, not "api_client"
    call = ApiCall.objects.get()
    assert (call.operation, call.status, call.purpose) == (
        "api/v1/person-status",
        200,
        "fee-exemption",
    )


def test_the_status_is_the_one_on_the_day_asked_about(gateway, citizen):
    award(citizen, AwardKind.AGE_BENEFIT, datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))
    DisabilityDecision.objects.create(
        person=citizen,
        degree="I",
        decided_on=datetime.date(2018, 1, 1),
        reexamine_on=datetime.date(2019, 1, 1),
    )
    during = status_of(gateway, citizen.fin, on="2019-06-01").json()
    after = status_of(gateway, citizen.fin, on="2020-01-01").json()
    assert (during["benefit_recipient"], during["disability_degree"]) == (True, None)
    assert (after["benefit_recipient"], after["pensioner"]) == (False, False)


def test_targeted_assistance_is_the_familys(gateway, citizen, other_citizen):
    from meis.registry.models import Household, HouseholdMembership

    household = Household.objects.create()
    for person in (citizen, other_citizen):
        HouseholdMembership.objects.create(
            household=household,
            person=person,
            joined_on=datetime.date(2010, 1, 1),
            relation="head" if person == citizen else "spouse",
        )
    basis, _ = DecisionBasis.objects.get_or_create(
        scheme="targeted_assistance", on=datetime.date(2020, 1, 1), rules_version="t", parameters={}
    )
    Award.objects.create(
        person=citizen,
        household=household,
        kind=AwardKind.TARGETED_ASSISTANCE,
        amount_qepik=24_000,
        start_on=datetime.date(2020, 1, 1),
        end_on=datetime.date(2020, 12, 31),
        origin=AwardOrigin.CASE_DECISION,
        basis=basis,
        record={},
    )
    assert status_of(gateway, other_citizen.fin, on="2020-03-16").json()["assistance_recipient"]


@pytest.mark.parametrize(
    ("fin", "expected"),
    [
        ("5abc123", "capital"),
        ("5ABÇ123", "Latin"),
        (" 5ABC12", "capital"),
        ("5ABC12", "7 characters"),
        ("5ABCI23", "never the letters I or O"),
    ],
)
def test_a_malformed_fin_gets_a_precise_problem(gateway, fin, expected):
    answer = status_of(gateway, fin)
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    [error] = answer.json()["errors"]
    assert error["field"] == "body.fin"
    assert error["message"].startswith(("A FİN", "Send the FİN"))
    assert expected in error["message"]
    assert not AuditEvent.objects.filter(action="person.read").exists()


def test_no_purpose_no_answer(gateway, citizen):
    missing = gateway.post(
        "/api/v1/person-status", {"fin": citizen.fin}, content_type="application/json"
    )
    unknown = status_of(gateway, citizen.fin, purpose="curiosity")
    for answer in (missing, unknown):
        assert answer.status_code == 422
        assert [e["field"] for e in answer.json()["errors"]] == ["body.purpose"]
    assert not AuditEvent.objects.filter(action="person.read").exists()


def test_an_unknown_person_is_not_found_in_the_callers_language(gateway):
    answer = gateway.post(
        "/api/v1/person-status",
        {"fin": "5ABC123", "purpose": "person-request"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert answer.status_code == 404
    assert answer.json()["title"] == "Не найдено"


# --- Scopes -----------------------------------------------------------------------------------
def test_a_bank_cannot_read_a_persons_status_or_file_applications(citizen):
    bank = registered(Scope.CERTIFICATES_VERIFY, institution="Kapital Bank")
    refused = [
        status_of(bank, citizen.fin),
        bank.post("/api/v1/applications", {}, content_type="application/json"),
        bank.get("/api/v1/applications"),
        bank.get("/api/v1/applications/2020-000001"),
    ]
    assert [answer.status_code for answer in refused] == [403, 403, 403, 403]
    assert {answer.json()["error"] for answer in refused} == {"insufficient_scope"}
    assert not AuditEvent.objects.filter(action="person.read").exists()
    assert list(ApiCall.objects.values_list("status", flat=True)) == [403, 403, 403, 403]


def test_the_gateway_cannot_verify_certificates_without_that_scope(gateway):
    answer = gateway.get("/api/v1/certificates/AAAAA-AAAAA-AAAAA")
    assert answer.status_code == 403
    assert "certificates:verify" in answer.json()["detail"]


# --- Applications -----------------------------------------------------------------------------
def application(citizen: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "service": "targeted-social-assistance",
        "fin": citizen.fin,
        "document_number": citizen.documents.get().number,
        "answers": answers(),
        "documents": [
            {"code": code, "filename": f"{code}.pdf", "content_base64": base64.b64encode(PDF)}
            for code in ("identity_card", "family_composition_certificate")
        ],
    }
    body["documents"] = [
        {**d, "content_base64": d["content_base64"].decode()} for d in body["documents"]
    ]
    body.update(changes)
    return body


def submit(client: Client, body: dict[str, Any], key: str | None) -> Any:
    if key is None:
        return client.post("/api/v1/applications", body, content_type="application/json")
    return client.post(
        "/api/v1/applications", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_one_idempotency_key_twice_makes_one_case(gateway, citizen, catalogue):
    key = str(uuid.uuid4())
    first = submit(gateway, application(citizen), key)
    again = submit(gateway, application(citizen), key)

    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert first.json() == again.json()
    case = Case.objects.get()
    assert (case.channel, case.person, case.reference) == (
        "api",
        citizen,
        first.json()["reference"],
    )
    assert case.documents.count() == 2
    assert UsageEvent.objects.filter(kind="application", channel="api").count() == 1

    status = gateway.get(f"/api/v1/applications/{case.reference}", HTTP_ACCEPT_LANGUAGE="az")
    assert status.status_code == 200
    assert status.json()["status"] == "submitted"
    assert status.json()["status_title"] == "Qəbul edilib"
    listed = gateway.get("/api/v1/applications?limit=10")
    assert listed.json()["count"] == 1
    assert listed.json()["items"][0]["reference"] == case.reference


def test_a_key_reused_for_another_application_is_refused(gateway, citizen, catalogue):
    key = str(uuid.uuid4())
    assert submit(gateway, application(citizen), key).status_code == 201
    other = submit(gateway, application(citizen, answers=answers(members="5")), key)
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert Case.objects.count() == 1


def test_an_application_without_a_key_or_with_bad_answers_makes_nothing(
    gateway, citizen, catalogue
):
    no_key = submit(gateway, application(citizen), None)
    short_key = submit(gateway, application(citizen), "abc")
    bad = submit(gateway, application(citizen, answers=answers(members="many")), "k-" * 8)
    no_documents = submit(gateway, application(citizen, documents=[]), "d-" * 8)
    bad_base64 = submit(
        gateway,
        application(
            citizen,
            documents=[{"code": "identity_card", "filename": "a.pdf", "content_base64": "%%%"}],
        ),
        "b-" * 8,
    )
    assert no_key.status_code == 422
    assert [e["field"] for e in no_key.json()["errors"]] == ["header.Idempotency-Key"]
    assert short_key.status_code == 422
    assert short_key.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["body.answers.members"]
    assert no_documents.status_code == 422
    assert bad_base64.status_code == 422
    assert not Case.objects.exists()


def test_a_hostile_file_is_refused_and_nothing_is_filed(gateway, citizen, catalogue):
    body = application(citizen)
    body["documents"][0]["content_base64"] = base64.b64encode(b"MZ\x90\x00 program").decode()
    answer = submit(gateway, body, str(uuid.uuid4()))
    assert answer.status_code == 409
    assert answer.json()["type"].endswith("/application-refused")
    assert not Case.objects.exists()


def test_a_client_reads_only_the_applications_it_submitted(gateway, citizen, catalogue):
    reference = submit(gateway, application(citizen), str(uuid.uuid4())).json()["reference"]
    another = registered(Scope.APPLICATIONS_READ, institution="Another system")
    assert another.get(f"/api/v1/applications/{reference}").status_code == 404
    assert another.get("/api/v1/applications").json()["count"] == 0


def test_an_unknown_person_or_service_is_named(gateway, citizen, catalogue):
    nobody = submit(gateway, application(citizen, document_number="AA0000000"), "n-" * 8)
    no_service = submit(gateway, application(citizen, service="no-such"), "s-" * 8)
    assert (nobody.status_code, no_service.status_code) == (404, 404)
    assert nobody.json()["detail"] == "Bu nömrələrlə etibarlı sənədi olan sağ şəxs tapılmadı."
    assert not Case.objects.exists()


def test_a_body_of_ten_megabytes_is_refused(gateway, citizen):
    big = b'{"fin": "' + b"A" * (10 * 1024 * 1024) + b'"}'
    answer = gateway.generic("POST", "/api/v1/person-status", big, "application/json")
    assert answer.status_code == 413
    assert answer["Content-Type"] == "application/problem+json"


def test_malformed_json_is_a_problem_not_a_crash(gateway):
    answer = gateway.generic("POST", "/api/v1/person-status", b'{"fin": ', "application/json")
    assert answer.status_code in (400, 422)
    assert answer["Content-Type"] == "application/problem+json"
