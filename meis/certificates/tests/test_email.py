"""A certificate by e-mail: the signed PDF reaches the person's verified address through the
notifications outbox (a real SMTP server on 127.0.0.1), only when asked for, and a person without
a verified address is told so while the certificate is still issued."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from meis.accounts.models import CallSession
from meis.accounts.tests.conftest import signed_in_citizen_client, signed_in_staff_client
from meis.audit.models import AuditEvent
from meis.certificates.models import Certificate
from meis.certificates.signing import PdfVerdict, pdf_check
from meis.certificates.tests.test_journey import _operator
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.notifications.tests.conftest import run_worker, smtp_server  # noqa: F401 — a fixture

pytestmark = pytest.mark.slow

FORM = {"type_code": "pension", "language": "en", "purpose": "embassy", "recipient": ""}
DESK = "/en/backoffice/certificates/"


def stored_pdf(certificate: Certificate) -> bytes:
    with default_storage.open(certificate.pdf_name, "rb") as stored:
        content: bytes = stored.read()
    return content


@pytest.fixture
def with_email(pensioner: Any) -> Any:
    pensioner.verified_email = "gulsen.aliyeva@example.az"
    pensioner.preferred_language = "az"
    pensioner.save()
    return pensioner


@pytest.fixture
def operator_on_call_with(catalogue: None) -> Any:
    def on_call(person: Any) -> Any:
        operator = _operator()
        CallSession.objects.create(
            operator=operator,
            caller=person,
            reference="CALL-7",
            identified_by="FIN",
            started_at=timezone.now(),
        )
        return signed_in_staff_client(operator)

    return on_call


@pytest.mark.django_db(transaction=True)
def test_the_citizen_gets_the_signed_pdf_by_email(smtp_server, with_email, catalogue):  # noqa: F811
    templates_seed(Template)
    client = signed_in_citizen_client(with_email)

    response = client.post("/az/certificates/", {**FORM, "send_by_email": "on"})
    run_worker()

    certificate = Certificate.objects.get()
    [mail] = smtp_server.received
    [part] = list(mail.iter_attachments())
    assert response.status_code == 302
    assert mail["To"] == "gulsen.aliyeva@example.az"
    assert mail["Subject"].strip() == "Arayışınız: Pensiyaçı olub-olmamaq barədə arayış"
    today = timezone.localdate(certificate.issued_at)
    assert part.get_filename() == f"Pensiyaçı olub-olmamaq barədə arayış {today:%d.%m.%Y}.pdf"
    assert part.get_content() == stored_pdf(certificate)
    assert pdf_check(part.get_content()).verdict == PdfVerdict.GENUINE


def test_the_email_is_queued_with_the_certificate_and_its_case(with_email, catalogue):
    signed_in_citizen_client(with_email).post("/en/certificates/", {**FORM, "send_by_email": "on"})

    certificate = Certificate.objects.get()
    message = Message.objects.get(event="certificate_issued")
    assert (message.channel, message.recipient, message.status) == (
        "email",
        "gulsen.aliyeva@example.az",
        "queued",
    )
    assert certificate.case is not None
    assert message.case_reference == certificate.case.reference
    assert "/az/certificates/" in message.body_text
    assert [a.sha256 for a in message.attachments.all()] == [certificate.pdf_sha256]


def test_the_citizen_who_asks_sees_where_it_went(with_email, catalogue):
    client = signed_in_citizen_client(with_email)

    page = client.post("/en/certificates/", {**FORM, "send_by_email": "on"}, follow=True)

    assert "We are e-mailing it to gulsen.aliyeva@example.az" in page.content.decode()


def test_no_email_when_the_citizen_does_not_ask(with_email, catalogue):
    response = signed_in_citizen_client(with_email).post("/en/certificates/", FORM)

    assert response["Content-Type"] == "application/pdf"
    assert Certificate.objects.count() == 1
    assert not Message.objects.filter(event="certificate_issued").exists()


def test_the_citizen_form_offers_the_email_to_the_confirmed_address(with_email, catalogue):
    page = signed_in_citizen_client(with_email).get("/en/certificates/").content.decode()

    assert 'type="checkbox"' in page
    assert "your confirmed e-mail address gulsen.aliyeva@example.az" in page


def test_a_citizen_without_a_verified_email_is_told_why_there_is_no_email_option(
    pensioner, catalogue
):
    page = signed_in_citizen_client(pensioner).get("/en/certificates/").content.decode()

    assert 'name="send_by_email"' not in page
    assert "your record has no confirmed e-mail address" in page


def test_an_operator_emails_the_certificate_to_a_caller_audited(with_email, operator_on_call_with):
    client = operator_on_call_with(with_email)

    response = client.post(
        DESK, {**FORM, "issue": "1", "fin": with_email.fin, "send_by_email": "on"}, follow=True
    )

    certificate = Certificate.objects.get()
    audit = AuditEvent.objects.get(action="certificate.issue")
    assert "It is being e-mailed to the person’s confirmed address g•••@example.az" in (
        response.content.decode()
    )
    assert Message.objects.get(event="certificate_issued").recipient == with_email.verified_email
    assert (audit.actor, audit.details["emailed"]) == (certificate.issued_by, "queued")


def test_a_caller_without_a_verified_email_still_gets_the_certificate_and_the_operator_is_told(
    pensioner, operator_on_call_with
):
    client = operator_on_call_with(pensioner)

    response = client.post(
        DESK, {**FORM, "issue": "1", "fin": pensioner.fin, "send_by_email": "on"}, follow=True
    )

    assert Certificate.objects.filter(person=pensioner).count() == 1
    assert "but not e-mailed: the person has no confirmed e-mail address" in (
        response.content.decode()
    )
    assert not Message.objects.filter(event="certificate_issued").exists()
    audit = AuditEvent.objects.get(action="certificate.issue")
    assert audit.details["emailed"] == "no_verified_email"
