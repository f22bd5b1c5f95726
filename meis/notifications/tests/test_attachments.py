"""Attachments: sent with the e-mail to a real SMTP server, offered in the portal inbox to the
person alone, never by SMS; limited in size; shown to staff."""

import pytest
from django.core.files.storage import default_storage

from meis.notifications.models import Attachment, Channel, Message, Status
from meis.notifications.services import notification_queue
from meis.notifications.services.attachments import AttachmentFile, AttachmentRefused
from meis.notifications.tests.conftest import person_create, run_worker
from meis.notifications.tests.test_inbox import sign_in_as
from meis.notifications.tests.test_outbox import DECISION
from meis.notifications.tests.test_staff import URL as STAFF_URL
from meis.notifications.tests.test_staff import staff_user

LETTER = AttachmentFile(
    name="Qərar MEİS-2026-000123 (Gülşən Məmmədova).pdf",
    content_type="application/pdf",
    content=b"%PDF-1.7\n% q\xc9\x99rar\n" + bytes(range(256)) * 4 + b"%%EOF\n",
)


def queue_with_letter(person, *, channels=("email",), dedupe_key="case:123:decision", files=None):
    return notification_queue(
        person=person,
        event="case_decision",
        context=DECISION,
        channel_preferences=list(channels),
        dedupe_key=dedupe_key,
        case_reference="MEİS-2026-000123",
        attachments=[LETTER] if files is None else files,
    )


@pytest.mark.django_db(transaction=True)
def test_the_email_carries_the_letter_under_its_azerbaijani_name(smtp_server, person):
    [message] = queue_with_letter(person)

    run_worker()

    [mail] = smtp_server.received
    [part] = list(mail.iter_attachments())
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert mail["Subject"].strip() == "MEİS-2026-000123 nömrəli müraciətiniz üzrə qərar"
    assert "Hörmətli Gülşən Məmmədova," in mail.get_body(("plain",)).get_content()
    assert part.get_filename() == LETTER.name
    assert part.get_content_type() == "application/pdf"
    assert part.get_content() == LETTER.content
    # RFC 2231: the name travels percent-encoded in UTF-8, not as a mangled ASCII guess.
    assert b"filename*=utf-8''Q%C9%99rar%20ME%C4%B0S" in smtp_server.raw[0]


def test_the_portal_copy_offers_the_letter_and_the_sms_carries_none(person):
    email, sms, portal = queue_with_letter(person, channels=("email", "sms", "portal"))

    assert (email.has_attachments, sms.has_attachments, portal.has_attachments) == (
        True,
        False,
        True,
    )
    assert list(Attachment.objects.order_by("id").values_list("message__channel", "file_name")) == [
        (Channel.EMAIL, LETTER.name),
        (Channel.PORTAL, LETTER.name),
    ]


def test_the_bytes_are_stored_once_however_many_messages_carry_them(templates):
    for number in range(3):
        queue_with_letter(person_create(), channels=("email", "portal"), dedupe_key=f"d{number}")

    names = set(Attachment.objects.values_list("storage_name", flat=True))
    assert Attachment.objects.count() == 6
    assert names == {f"notifications/attachments/{LETTER.sha256}"}
    assert default_storage.open(names.pop()).read() == LETTER.content


def test_a_retried_action_does_not_attach_the_file_twice(person):
    queue_with_letter(person)
    queue_with_letter(person)

    assert Attachment.objects.count() == 1


def test_attachments_over_the_size_limit_are_refused_and_nothing_is_queued(person, settings):
    settings.NOTIFICATION_ATTACHMENTS_MAX_BYTES = len(LETTER.content) - 1

    with pytest.raises(AttachmentRefused, match="NOTIFICATION_ATTACHMENTS_MAX_BYTES"):
        queue_with_letter(person)

    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("", "application/pdf"), ("letter.pdf", "multipart/mixed"), ("letter.pdf", "pdf")],
)
def test_an_unnamed_or_mistyped_attachment_is_refused(person, name, content_type):
    with pytest.raises(AttachmentRefused):
        queue_with_letter(person, files=[AttachmentFile(name, content_type, b"%PDF")])


def test_a_file_name_cannot_carry_a_path(person):
    queue_with_letter(
        person, files=[AttachmentFile("../../etc/qərar.pdf", "application/pdf", b"x")]
    )

    assert Attachment.objects.get().file_name == "_.._etc_qərar.pdf"


def test_the_citizen_downloads_the_letter_from_their_inbox(client, person):
    queue_with_letter(person, channels=("portal",))
    sign_in_as(client, person)

    [attachment] = Attachment.objects.all()
    page = client.get(f"/az/inbox/{attachment.message.public_id}/")
    download = client.get(f"/az/inbox/files/{attachment.public_id}/")

    assert LETTER.name in page.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == LETTER.content
    assert download["Content-Disposition"].startswith('attachment; filename="Qerar')
    assert "filename*=UTF-8''Q%C9%99rar" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"


def test_another_citizen_cannot_download_the_letter(client, person):
    queue_with_letter(person, channels=("portal",))
    sign_in_as(client, person_create())

    response = client.get(f"/az/inbox/files/{Attachment.objects.get().public_id}/")

    assert response.status_code == 404


def test_the_email_copy_of_the_letter_is_not_offered_in_the_inbox(client, person):
    queue_with_letter(person, channels=("email",))
    sign_in_as(client, person)

    response = client.get(f"/az/inbox/files/{Attachment.objects.get().public_id}/")

    assert response.status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, person):
    queue_with_letter(person, channels=("portal",))

    response = client.get(f"/az/inbox/files/{Attachment.objects.get().public_id}/")

    assert response.status_code == 302


def test_staff_see_the_attachments_of_a_message(client, person):
    queue_with_letter(person)
    client.force_login(staff_user("view_message"))

    response = client.get(STAFF_URL, {"fin": person.fin})

    assert LETTER.name in response.content.decode()
