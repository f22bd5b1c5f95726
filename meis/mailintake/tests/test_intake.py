"""E-mail to a DOST centre, read over IMAP from a real Dovecot, becomes a draft or a message
on a case; what is not a person writing is quarantined; the sender is answered with the
reference and nothing else; reading again changes nothing."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from meis.cases.models import Case, Channel
from meis.cases.services import case_submit
from meis.cases.tests.conftest import SERVICE, answers, pdf
from meis.catalog.selectors import eservice_version_current
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.core.tests.samples import jpeg_with_gps, pdf_bytes, pdf_javascript_in_object_stream
from meis.mailintake.models import EmailStatus, InboundEmail, QuarantineReason
from meis.mailintake.services import mailbox_read, mailboxes_read_all
from meis.mailintake.tests.conftest import CentreMailbox
from meis.notifications.models import Message
from meis.registry.models import Person

PDF = pdf_bytes("hello")
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def _answers_to(address: str) -> list[Message]:
    return list(Message.objects.filter(recipient=address).order_by("pk"))


def test_an_email_with_a_pdf_becomes_a_draft_and_the_sender_gets_its_reference(
    centre_mailbox: CentreMailbox,
) -> None:
    centre_mailbox.write(
        sender="Aysel Məmmədova <aysel@mail.example.az>",
        subject="Ünvanlı sosial yardım üçün müraciət",
        text="Salam, arayışı əlavə edirəm.",
        files=[("arayis.pdf", "application/pdf", PDF)],
    )

    report = mailbox_read(mailbox=centre_mailbox.mailbox)

    assert report.counts == {"new": 1}
    email = InboundEmail.objects.get()
    assert email.status == EmailStatus.DRAFT
    assert email.centre == centre_mailbox.centre
    assert email.reference.startswith("MEIS-")
    assert email.sender == "aysel@mail.example.az"
    assert "arayışı əlavə edirəm" in email.body_text
    (attachment,) = email.attachments.all()
    assert attachment.is_accepted
    assert attachment.content_type == "application/pdf"
    (answer,) = _answers_to("aysel@mail.example.az")
    assert answer.event == "email_received"
    assert email.reference in answer.subject
    assert email.reference in answer.body_text


def test_reading_the_mailbox_again_makes_no_second_draft(centre_mailbox: CentreMailbox) -> None:
    centre_mailbox.write(sender="a@mail.example.az", subject="Sual", text="Salam")
    centre_mailbox.write(sender="b@mail.example.az", subject="Sual 2", text="Salam")
    mailbox_read(mailbox=centre_mailbox.mailbox)

    again = mailbox_read(mailbox=centre_mailbox.mailbox)
    from_start = mailbox_read(mailbox=centre_mailbox.mailbox, from_start=True)

    assert again.counts == {}
    assert from_start.counts == {"duplicate": 2}
    assert InboundEmail.objects.count() == 2
    assert Message.objects.filter(event="email_received").count() == 2


def test_the_same_message_delivered_twice_is_kept_once(centre_mailbox: CentreMailbox) -> None:
    raw = centre_mailbox.write(sender="a@mail.example.az", subject="Sual", text="Salam")
    centre_mailbox.deliver(raw)  # a resent copy: same Message-ID, a new UID

    report = mailbox_read(mailbox=centre_mailbox.mailbox)

    assert report.counts == {"new": 1, "duplicate": 1}
    assert InboundEmail.objects.count() == 1


@pytest.fixture
def case(citizen: Person) -> Case:
    """The citizen's application at baku-1, filed on the portal; their verified e-mail is set."""
    Person.objects.filter(pk=citizen.pk).update(verified_email="citizen@mail.example.az")
    citizen.refresh_from_db()
    catalog_import_seed()
    return case_submit(
        person=citizen,
        version=eservice_version_current(code=SERVICE),
        answers=answers(),
        channel=Channel.PORTAL,
        actor=AnonymousUser(),
        centre=ServiceCentre.objects.get(code="baku-1"),
        contact_channel="portal",
        contact_value="",
        idempotency_key=str(uuid.uuid4()),
        documents=[("identity_card", pdf()), ("family_composition_certificate", pdf())],
    ).case


def test_an_email_naming_a_cases_reference_is_added_to_that_case(
    centre_mailbox: CentreMailbox, case: Case
) -> None:
    centre_mailbox.write(
        sender="citizen@mail.example.az",
        subject=f"Re: {case.reference.lower()} — əlavə sənəd",
        files=[("gelir.pdf", "application/pdf", PDF)],
    )

    report = mailbox_read(mailbox=centre_mailbox.mailbox)

    assert report.counts == {"added": 1}
    email = InboundEmail.objects.get()
    assert email.status == EmailStatus.ADDED
    assert email.case == case
    assert email.reference == case.reference
    assert email.person == case.person  # written from the applicant's verified address
    assert Case.objects.count() == 1


def test_a_second_email_about_a_draft_joins_the_draft(centre_mailbox: CentreMailbox) -> None:
    centre_mailbox.write(sender="a@mail.example.az", subject="Müraciət", text="Birinci")
    mailbox_read(mailbox=centre_mailbox.mailbox)
    first = InboundEmail.objects.get()

    centre_mailbox.write(sender="a@mail.example.az", subject=f"{first.reference} əlavə")
    mailbox_read(mailbox=centre_mailbox.mailbox)

    second = InboundEmail.objects.exclude(pk=first.pk).get()
    assert second.status == EmailStatus.ADDED
    assert second.thread == first
    assert second.reference == first.reference


def test_the_answer_to_an_unverified_address_carries_no_personal_data(
    centre_mailbox: CentreMailbox, case: Case
) -> None:
    """Someone who knows a reference writes from an address that is not the applicant's: the
    e-mail is kept on the case for staff, and the answer says only what they already knew."""
    centre_mailbox.write(
        sender="stranger@mail.example.az",
        subject=f"{case.reference} status?",
        text="What did you decide?",
    )

    mailbox_read(mailbox=centre_mailbox.mailbox)

    email = InboundEmail.objects.get()
    assert email.case == case
    assert email.person is None
    (answer,) = _answers_to("stranger@mail.example.az")
    person = case.person
    everything = answer.subject + answer.body_text + answer.body_html
    for personal in (person.first_name, person.last_name, person.fin, case.status):
        assert personal not in everything
    assert "What did you decide" not in everything
    assert case.reference in everything


def test_an_executable_is_refused_and_named_in_the_answer(centre_mailbox: CentreMailbox) -> None:
    centre_mailbox.write(
        sender="a@mail.example.az",
        subject="Sənədlər",
        files=[
            ("passport.pdf", "application/pdf", PDF),
            ("passport-scan.pdf", "application/pdf", EXECUTABLE),  # a program named .pdf
            ("setup.exe", "application/octet-stream", EXECUTABLE),
        ],
    )

    with translation.override("en"):
        mailbox_read(mailbox=centre_mailbox.mailbox)

    email = InboundEmail.objects.get()
    accepted = [a.original_name for a in email.attachments.all() if a.is_accepted]
    refused = {a.original_name: a.refusal for a in email.attachments.all() if not a.is_accepted}
    assert accepted == ["passport.pdf"]
    assert set(refused) == {"passport-scan.pdf", "setup.exe"}
    assert "Its content was checked, not its name" in refused["setup.exe"]
    (answer,) = _answers_to("a@mail.example.az")
    assert "passport-scan.pdf" in answer.body_text
    assert "setup.exe" in answer.body_text


def test_a_pdf_with_a_script_in_an_object_stream_is_refused(
    centre_mailbox: CentreMailbox,
) -> None:
    centre_mailbox.write(
        sender="a@mail.example.az",
        subject="Sənəd",
        files=[("form.pdf", "application/pdf", pdf_javascript_in_object_stream())],
    )

    with translation.override("en"):
        mailbox_read(mailbox=centre_mailbox.mailbox)

    (attachment,) = InboundEmail.objects.get().attachments.all()
    assert not attachment.is_accepted
    assert attachment.storage_name == ""
    assert "scripts or embedded programs" in attachment.refusal


def test_a_photo_attachment_is_stored_without_its_gps(centre_mailbox: CentreMailbox) -> None:
    photo = jpeg_with_gps()
    centre_mailbox.write(
        sender="a@mail.example.az",
        subject="Sənəd",
        files=[("photo.jpg", "image/jpeg", photo)],
    )

    mailbox_read(mailbox=centre_mailbox.mailbox)

    (attachment,) = InboundEmail.objects.get().attachments.all()
    with default_storage.open(attachment.storage_name, "rb") as stored:
        content = stored.read()
    assert attachment.is_accepted
    assert content.startswith(b"\xff\xd8\xff")
    assert b"PhoneMaker" in photo
    assert b"PhoneMaker" not in content


@pytest.mark.parametrize(
    ("sender", "headers", "reason"),
    [
        pytest.param(
            "a@mail.example.az",
            {"Auto-Submitted": "auto-replied"},
            QuarantineReason.LOOP,
            id="auto-reply",
        ),
        pytest.param("a@mail.example.az", {"Precedence": "bulk"}, QuarantineReason.LOOP, id="bulk"),
        pytest.param("no-reply@meis.example", {}, QuarantineReason.LOOP, id="our-own-answer"),
        pytest.param(
            "MAILER-DAEMON@mail.example.az",
            {"Subject-Note": "x"},
            QuarantineReason.BOUNCE,
            id="mailer-daemon",
        ),
        pytest.param(
            "a@mail.example.az",
            {"X-Spam-Flag": "YES", "X-Spam-Status": "Yes, score=9.1"},
            QuarantineReason.SPAM,
            id="spam",
        ),
        pytest.param(
            "nazir@gov.example.az",
            {"Authentication-Results": "mx.dost.example.az; spf=fail; dmarc=fail"},
            QuarantineReason.FORGED,
            id="forged-sender",
        ),
    ],
)
def test_what_is_not_a_person_writing_is_quarantined_and_never_answered(
    centre_mailbox: CentreMailbox, sender: str, headers: dict[str, str], reason: str
) -> None:
    centre_mailbox.write(sender=sender, subject="Re: MEIS", text="...", headers=headers)

    report = mailbox_read(mailbox=centre_mailbox.mailbox)

    assert report.counts == {"quarantined": 1}
    email = InboundEmail.objects.get()
    assert (email.status, email.quarantine_reason) == (EmailStatus.QUARANTINED, reason)
    assert email.reference == ""
    assert not Message.objects.filter(recipient=sender.lower()).exists()


def test_a_reply_loop_ends_at_the_first_automatic_answer(centre_mailbox: CentreMailbox) -> None:
    """Our answer bounced back by an auto-responder is not answered again."""
    centre_mailbox.write(sender="robot@mail.example.az", subject="Salam")
    mailbox_read(mailbox=centre_mailbox.mailbox)
    (answer,) = _answers_to("robot@mail.example.az")
    for _round in range(3):
        centre_mailbox.write(
            sender="robot@mail.example.az",
            subject=f"Auto: {answer.subject}",
            headers={"Auto-Submitted": "auto-replied"},
        )
        mailbox_read(mailbox=centre_mailbox.mailbox)

    assert len(_answers_to("robot@mail.example.az")) == 1
    assert InboundEmail.objects.filter(status=EmailStatus.QUARANTINED).count() == 3


def test_a_50_mb_email_is_quarantined_unread_and_the_sender_told_why(
    centre_mailbox: CentreMailbox,
) -> None:
    big = b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024)
    centre_mailbox.write(
        sender="a@mail.example.az",
        subject="Bütün sənədlər",
        files=[("all.pdf", "application/pdf", big)],
    )

    with translation.override("en"), override_settings(LANGUAGE_CODE="en"):
        report = mailbox_read(mailbox=centre_mailbox.mailbox)

    assert report.counts == {"quarantined": 1}
    email = InboundEmail.objects.get()
    assert email.quarantine_reason == QuarantineReason.OVERSIZE
    assert email.size > 50 * 1024 * 1024
    assert not email.attachments.exists()
    (answer,) = _answers_to("a@mail.example.az")
    assert answer.event == "email_refused"
    assert "larger than 50 MB" in answer.body_text


def test_a_mailbox_that_refuses_the_login_is_reported_and_the_others_still_read(
    centre_mailbox: CentreMailbox,
) -> None:
    centre_mailbox.write(sender="a@mail.example.az", subject="Salam")
    wrong = centre_mailbox.server.url(centre_mailbox.user).replace(":secret@", ":wrong@")
    good = centre_mailbox.server.url(centre_mailbox.user)

    with override_settings(MAIL_INTAKE_MAILBOXES=f"baku-2={wrong},baku-1={good}"):
        summary = mailboxes_read_all()

    assert summary.startswith("baku-2: ")
    assert "baku-1: 1 new" in summary
    assert InboundEmail.objects.count() == 1


def test_the_management_command_reads_every_configured_mailbox(
    centre_mailbox: CentreMailbox, capsys: pytest.CaptureFixture[str]
) -> None:
    centre_mailbox.write(sender="a@mail.example.az", subject="Salam")

    call_command("mail_intake")

    assert "baku-1: 1 new" in capsys.readouterr().out
    assert InboundEmail.objects.get().status == EmailStatus.DRAFT
