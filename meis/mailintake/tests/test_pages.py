"""Staff of the centre read its e-mail queue and each e-mail with its files; nobody else does."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from meis.accounts.tests.conftest import signed_in_citizen_client, signed_in_staff_client
from meis.audit.models import AuditEvent
from meis.cases.tests.conftest import staff
from meis.centres.models import ServiceCentre
from meis.mailintake.models import InboundEmail
from meis.mailintake.services import mailbox_read
from meis.mailintake.tests.conftest import CentreMailbox
from meis.mailintake.tests.test_intake import PDF
from meis.registry.models import Person


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def _worker(code: str, username: str) -> User:
    return staff(username, "case_worker", ServiceCentre.objects.get(code=code), ["pensions"])


@pytest.fixture
def email(centre_mailbox: CentreMailbox) -> InboundEmail:
    centre_mailbox.write(
        sender="Aysel <aysel@mail.example.az>",
        subject="Pensiya arayışı",
        text="Salam, sənədi göndərirəm.",
        files=[("arayis.pdf", "application/pdf", PDF)],
    )
    mailbox_read(mailbox=centre_mailbox.mailbox)
    return InboundEmail.objects.get()


def test_a_case_worker_of_the_centre_opens_the_email_and_its_pdf_from_the_queue(
    email: InboundEmail,
) -> None:
    client = signed_in_staff_client(_worker("baku-1", "mail-w1"))

    queue = client.get(reverse("mailintake:queue"))
    assert email.reference in queue.content.decode()
    page = client.get(reverse("mailintake:email", kwargs={"email_id": email.pk}))
    assert "Salam, sənədi göndərirəm." in page.content.decode()
    attachment = email.attachments.get()
    url = reverse(
        "mailintake:attachment", kwargs={"email_id": email.pk, "attachment_id": attachment.pk}
    )
    assert url in page.content.decode()
    download = client.get(url)

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="email.read", object_id=str(email.pk)).exists()


def test_a_case_worker_of_another_centre_is_refused_and_the_refusal_audited(
    email: InboundEmail,
) -> None:
    client = signed_in_staff_client(_worker("baku-2", "mail-w2"))

    response = client.get(reverse("mailintake:email", kwargs={"email_id": email.pk}))
    attachment = email.attachments.get()
    download = client.get(
        reverse(
            "mailintake:attachment", kwargs={"email_id": email.pk, "attachment_id": attachment.pk}
        )
    )

    assert response.status_code == download.status_code == 403
    assert email.reference not in client.get(reverse("mailintake:queue")).content.decode()
    assert AuditEvent.objects.filter(action="access.refused").count() >= 2


def test_a_citizen_cannot_open_the_email_queue(email: InboundEmail, citizen: Person) -> None:
    client = signed_in_citizen_client(citizen)

    response = client.get(reverse("mailintake:email", kwargs={"email_id": email.pk}))

    assert response.status_code == 302  # to the staff sign-in
    assert "staff" in response["Location"]


def test_quarantined_mail_is_listed_apart_with_its_reason(centre_mailbox: CentreMailbox) -> None:
    centre_mailbox.write(
        sender="a@mail.example.az",
        subject="Out of office",
        headers={"Auto-Submitted": "auto-replied"},
    )
    mailbox_read(mailbox=centre_mailbox.mailbox)
    client = signed_in_staff_client(_worker("baku-1", "mail-w3"))

    queue = client.get(reverse("mailintake:queue")).content.decode()
    quarantine = client.get(reverse("mailintake:quarantine")).content.decode()

    assert "Out of office" not in queue
    assert "Out of office" in quarantine
    assert "possible mail loop" in quarantine
