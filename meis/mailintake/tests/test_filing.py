"""A case worker of the centre files an e-mail draft as a case, for the person they identified,
under the reference the sender was already given; bad input makes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from meis.accounts.tests.conftest import signed_in_staff_client
from meis.audit.models import AuditEvent
from meis.cases.models import Case, Channel, ContactChannel
from meis.cases.tests.conftest import iban, staff
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.mailintake.models import EmailStatus, InboundEmail
from meis.mailintake.services import mailbox_read
from meis.mailintake.tests.conftest import CentreMailbox
from meis.mailintake.tests.test_intake import PDF
from meis.notifications.models import Message
from meis.registry.models import Person

SERVICE = "old-age-pension"  # one PDF: the identity card; one answer: the IBAN


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


@pytest.fixture
def email(centre_mailbox: CentreMailbox) -> InboundEmail:
    catalog_import_seed()
    centre_mailbox.write(
        sender="Aysel <aysel@mail.example.az>",
        subject="Pensiya üçün müraciət",
        text="Salam, şəxsiyyət vəsiqəmi göndərirəm.",
        files=[("vesiqe.pdf", "application/pdf", PDF)],
    )
    mailbox_read(mailbox=centre_mailbox.mailbox)
    return InboundEmail.objects.get()


def _worker(code: str, username: str) -> User:
    return staff(username, "case_worker", ServiceCentre.objects.get(code=code), ["pensions"])


def _file(client: object, email: InboundEmail, person: Person, **overrides: str) -> object:
    data = {
        "service": SERVICE,
        "document_number": person.documents.get().number,
        "fin": person.fin,
        "bank_account_iban": iban(),
        **overrides,
    }
    return client.post(reverse("mailintake:file", kwargs={"email_id": email.pk}), data)  # type: ignore[attr-defined]


def test_an_email_with_a_pdf_becomes_a_case_with_that_pdf_and_the_reference_given(
    email: InboundEmail, citizen: Person
) -> None:
    client = signed_in_staff_client(_worker("baku-1", "mail-f1"))
    page = client.get(reverse("mailintake:email", kwargs={"email_id": email.pk}))
    assert "File as an application" in page.content.decode()
    chosen = client.get(
        reverse("mailintake:email", kwargs={"email_id": email.pk}), {"service": SERVICE}
    )
    assert 'name="bank_account_iban"' in chosen.content.decode()

    response = _file(client, email, citizen)

    case = Case.objects.get()
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == reverse("backoffice:case", kwargs={"reference": case.reference})  # type: ignore[index]
    assert case.reference == email.reference
    assert case.person == citizen
    assert case.channel == Channel.EMAIL
    assert case.centre.code == "baku-1"
    # The sender's address is not the person's verified e-mail: the result goes to the inbox.
    assert case.contact_channel == ContactChannel.PORTAL
    (document,) = case.documents.all()
    assert (document.document_code, document.original_name) == ("identity_card", "vesiqe.pdf")
    email.refresh_from_db()
    assert (email.status, email.case) == (EmailStatus.FILED, case)
    (answer,) = Message.objects.filter(recipient="aysel@mail.example.az")
    assert case.reference in answer.body_text  # the automatic reply carried the case's reference
    assert AuditEvent.objects.filter(action="email.identify", person=citizen).exists()
    assert AuditEvent.objects.filter(action="case.submit", person=citizen).exists()


def test_filing_twice_makes_one_case(email: InboundEmail, citizen: Person) -> None:
    client = signed_in_staff_client(_worker("baku-1", "mail-f2"))

    _file(client, email, citizen)
    again = _file(client, email, citizen)

    assert Case.objects.count() == 1
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert "already filed" in again.content.decode()  # type: ignore[attr-defined]


def test_a_sender_who_is_the_persons_verified_contact_gets_the_result_by_email(
    email: InboundEmail, citizen: Person
) -> None:
    citizen.verified_email = "aysel@mail.example.az"
    citizen.save(update_fields=["verified_email"])
    client = signed_in_staff_client(_worker("baku-1", "mail-f3"))

    _file(client, email, citizen)

    case = Case.objects.get()
    assert (case.contact_channel, case.contact_value) == (
        ContactChannel.EMAIL,
        "aysel@mail.example.az",
    )


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"fin": "1234567"}, "No living person holds a valid document with these numbers."),
        ({"fin": "??"}, "FİN"),
        ({"service": "vacancy-submission"}, "Choose a service"),
        ({"bank_account_iban": ""}, "The application has errors."),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_makes_nothing(
    email: InboundEmail, citizen: Person, overrides: dict[str, str], says: str
) -> None:
    client = signed_in_staff_client(_worker("baku-1", "mail-f4"))

    response = _file(client, email, citizen, **overrides)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert says in response.content.decode()  # type: ignore[attr-defined]
    assert not Case.objects.exists()
    email.refresh_from_db()
    assert email.status == EmailStatus.DRAFT


def test_a_worker_of_another_centre_is_refused(email: InboundEmail, citizen: Person) -> None:
    client = signed_in_staff_client(_worker("baku-2", "mail-f5"))

    response = _file(client, email, citizen)

    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not Case.objects.exists()
    assert AuditEvent.objects.filter(action="access.refused").exists()
