"""Done-when: a citizen gets a pension certificate, a bank checks it, the citizen sees the check,
revokes it, and the check then says revoked. Plus the public check's bad input and the staff desk."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from meis.accounts.models import CallSession, StaffProfile
from meis.accounts.tests.conftest import signed_in_citizen_client, signed_in_staff_client
from meis.audit.models import AuditEvent
from meis.awards.models import Award, AwardStatus
from meis.cases.models import Case, CaseStatus
from meis.certificates.models import Certificate
from meis.certificates.rendering import verify_url
from meis.certificates.tests.conftest import bank_api
from meis.usage.models import UsageEvent

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def get_certificate(client: Client, **data: str) -> bytes:
    form = {
        "type_code": "pension",
        "language": "az",
        "purpose": "bank",
        "recipient": "Kapital Bank",
    }
    form.update(data)
    response = client.post("/az/certificates/", form)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def code_in(pdf: bytes) -> str:
    certificate = Certificate.objects.get(pdf_sha256=__import__("hashlib").sha256(pdf).hexdigest())
    rows = certificate.facts["rows"]
    assert rows  # the code itself is only in the PDF; find it through the QR/URL text
    match = re.search(rb"verify/([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})/", pdf)
    if match:
        return match.group(1).decode()
    raise AssertionError("code not found in the PDF's link annotation")


def test_the_whole_journey(pensioner, catalogue):
    citizen = signed_in_citizen_client(pensioner)
    pdf = get_certificate(citizen)
    certificate = Certificate.objects.get()
    case = Case.objects.get(certificate=certificate)
    assert case.status == CaseStatus.APPROVED
    assert case.channel == "portal"
    assert UsageEvent.objects.filter(
        service_code="certificate-pension", kind="application"
    ).exists()
    assert certificate.facts["key"]["is_pensioner"] is True

    code = code_in(pdf)
    path = urlparse(verify_url(code)).path  # what the QR code leads to
    bank = Client(REMOTE_ADDR="10.1.2.3")
    page = bank.get(path, {"organisation": "Kapital Bank"}, follow=True)
    assert page.status_code == 200
    assert "Pensiyaçı olub-olmamaq barədə arayış" in page.content.decode()
    assert "Etibarlı" in page.content.decode() or "Valid" in page.content.decode()
    assert "İsmayıl qızı" in page.content.decode()

    looked = citizen.get("/en/my/who-looked/").content.decode()
    assert "Kapital Bank" in looked
    event = AuditEvent.objects.get(action="certificate.verify")
    assert event.client_address == "10.1.2.3"
    issued = UsageEvent.objects.get(kind="certificate_issued")
    assert (issued.service_code, issued.channel, issued.region) == (
        "certificate-pension",
        "portal",
        pensioner.region,
    )
    checked = UsageEvent.objects.get(kind="certificate_verified")
    assert (checked.channel, checked.outcome) == ("portal", "valid")

    revoked = citizen.post(f"/az/certificates/{certificate.pk}/revoke/")
    assert revoked.status_code == 302
    api = bank_api().get(f"/api/v1/certificates/{code}").json()
    assert api["status"] == "revoked"
    by_api = UsageEvent.objects.filter(kind="certificate_verified", channel="api").get()
    assert by_api.outcome == "revoked"
    assert api["revoked_at"]
    assert AuditEvent.objects.filter(action="certificate.revoke").count() == 1


def test_the_check_page_and_the_api_say_the_same_for_unknown_and_malformed_codes(
    pensioner, catalogue
):
    client = Client(REMOTE_ADDR="10.9.9.9")
    unknown = client.get("/en/verify/ZZZZZ-ZZZZZ-ZZZZZ/")
    malformed = client.get("/en/verify/hello'--/")
    assert unknown.status_code == malformed.status_code == 404
    body = [
        r.content.decode().replace("ZZZZZ-ZZZZZ-ZZZZZ", "X").replace("hello'--", "X")
        for r in (unknown, malformed)
    ]
    assert body[0].replace("hello&#x27;--", "X") == body[1].replace("hello&#x27;--", "X")
    bank = bank_api()
    answers = [
        bank.get(f"/api/v1/certificates/{code}") for code in ("nothing", "ZZZZZ-ZZZZZ-ZZZZZ")
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json()["detail"] == answers[1].json()["detail"]


def test_checks_are_rate_limited_per_address(settings, catalogue):
    settings.CERTIFICATE_VERIFY_LIMIT_PER_ADDRESS = 3
    client = Client(REMOTE_ADDR="10.7.7.7")
    statuses = [client.get(f"/en/verify/AAAAA-AAAAA-AAAA{i}/").status_code for i in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
    assert Client(REMOTE_ADDR="10.7.7.8").get("/en/verify/AAAAA-AAAAA-AAAAA/").status_code == 404


def test_a_certificate_whose_pension_ended_says_so_on_verification(pensioner, catalogue):
    citizen = signed_in_citizen_client(pensioner)
    code = code_in(get_certificate(citizen))
    Award.objects.filter(person=pensioner).update(
        status=AwardStatus.ENDED, end_on=datetime.date(2021, 1, 1)
    )
    api = bank_api().get(f"/api/v1/certificates/{code}").json()
    assert api["status"] == "valid"
    assert api["facts_changed_since_issue"] is True


def test_expired_certificates_show_as_expired(pensioner, catalogue):
    citizen = signed_in_citizen_client(pensioner)
    code = code_in(get_certificate(citizen))
    Certificate.objects.update(expires_on=datetime.date(2020, 1, 1))
    assert bank_api().get(f"/api/v1/certificates/{code}").json()["status"] == "expired"


def test_uploaded_pdfs_are_checked_against_signature_and_record(pensioner, catalogue):
    citizen = signed_in_citizen_client(pensioner)
    pdf = get_certificate(citizen, language="en")
    client = Client(REMOTE_ADDR="10.3.3.3")

    def upload(content: bytes) -> str:
        response = client.post(
            "/en/verify/pdf/",
            {
                "file": SimpleUploadedFile("c.pdf", content, "application/pdf"),
                "organisation": "Embassy",
            },
        )
        return response.content.decode()

    assert "is the ministry" in upload(pdf)
    assert "not a PDF" in upload(b"\x89PNG not a pdf")
    altered = pdf[:2000] + bytes([pdf[2000] ^ 0x20]) + pdf[2001:]
    assert "changed after it was signed" in upload(altered) or "not a PDF" in upload(altered)
    assert AuditEvent.objects.filter(action="certificate.verify", details__via="pdf").count() == 1


def test_another_citizen_cannot_download_or_revoke_my_certificate(
    pensioner, other_citizen, catalogue
):
    get_certificate(signed_in_citizen_client(pensioner))
    certificate = Certificate.objects.get()
    intruder = signed_in_citizen_client(other_citizen)
    assert intruder.get(f"/en/certificates/{certificate.pk}/pdf/").status_code == 404
    assert intruder.post(f"/en/certificates/{certificate.pk}/revoke/").status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == "issued"


def _operator():
    from django.contrib.auth.models import User

    from meis.accounts.services import staff_groups_ensure

    user = User.objects.create_user(username="op1", password="x" * 20, is_staff=True)
    user.groups.add(staff_groups_ensure()["call_centre_operator"])
    StaffProfile.objects.create(user=user, centre=None, subsystems=[], institution="142")
    TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    return user


def test_an_operator_issues_for_the_identified_caller_only(pensioner, other_citizen, catalogue):
    from django.utils import timezone

    operator = _operator()
    client = signed_in_staff_client(operator)
    form = {
        "issue": "1",
        "fin": pensioner.fin,
        "type_code": "pension",
        "language": "ru",
        "purpose": "bank",
    }
    assert client.post("/en/backoffice/certificates/", form).status_code == 404
    CallSession.objects.create(
        operator=operator,
        caller=pensioner,
        reference="CALL-1",
        identified_by="FIN",
        started_at=timezone.now(),
    )
    response = client.post("/en/backoffice/certificates/", form)
    assert response["Content-Type"] == "application/pdf"
    certificate = Certificate.objects.get()
    assert certificate.channel == "call_centre"
    assert certificate.issued_by == operator
    assert Case.objects.get().channel == "call_centre"
    assert AuditEvent.objects.filter(action="certificate.issue", actor=operator).exists()
    code = code_in(response.content)
    revoke = {"revoke": "1", "code": code, "reason": "Issued to the wrong caller"}
    client.post("/en/backoffice/certificates/", revoke)
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revoked_reason == "Issued to the wrong caller"


@pytest.mark.parametrize(
    "type_code",
    [
        "benefits",
        "insurance",
        "employment",
        "active_contracts",
        "unemployment",
        "disability",
        "household",
        "social_income",
    ],
)
def test_every_certificate_type_issues(pensioner, catalogue, type_code):
    pdf = get_certificate(signed_in_citizen_client(pensioner), type_code=type_code, language="en")
    assert pdf.startswith(b"%PDF-")


def test_a_malformed_fin_at_the_staff_desk_is_refused_like_an_unknown_person(catalogue):
    operator = _operator()
    form = {
        "issue": "1",
        "fin": "IIIIIII",
        "type_code": "pension",
        "language": "en",
        "purpose": "bank",
    }
    response = signed_in_staff_client(operator).post("/en/backoffice/certificates/", form)
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access.refused", actor=operator).exists()
    assert not Certificate.objects.exists()


def test_revoking_an_unknown_code_at_the_staff_desk_says_so(pensioner, catalogue):
    get_certificate(signed_in_citizen_client(pensioner))
    revoke = {"revoke": "1", "code": "AAAAA-AAAAA-AAAAA", "reason": "Wrong caller"}
    response = signed_in_staff_client(_operator()).post(
        "/en/backoffice/certificates/", revoke, follow=True
    )
    assert "No certificate has this code" in response.content.decode()
    assert Certificate.objects.get().status == "issued"
