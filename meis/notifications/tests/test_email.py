"""E-mail through Django's SMTP backend to a real SMTP server (aiosmtpd) on 127.0.0.1."""

import pytest

from meis.notifications.models import Message, Status
from meis.notifications.services import notification_queue
from meis.notifications.services.delivery import message_send
from meis.notifications.tests.conftest import free_port, run_worker
from meis.notifications.tests.test_outbox import DECISION, queue_decision


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_the_email_with_azerbaijani_text_and_html(smtp_server, person):
    [message] = queue_decision(person)

    run_worker()

    [mail] = smtp_server.received
    message.refresh_from_db()
    assert message.status == Status.SENT
    # A long non-ASCII subject is folded; the decoded header keeps the fold's leading space.
    assert mail["Subject"].strip() == "MEİS-2026-000123 nömrəli müraciətiniz üzrə qərar"
    assert mail["To"] == person.verified_email
    assert mail["Message-ID"] == f"<{message.public_id}@meis.example>"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Hörmətli Gülşən Məmmədova," in text
    assert "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi" in text
    assert "<p>Hörmətli Gülşən Məmmədova,</p>" in html


def test_the_message_id_is_derived_from_the_dedupe_key(person):
    [email] = queue_decision(person, dedupe_key="case:9:decision")
    Message.objects.all().delete()

    [again] = queue_decision(person, dedupe_key="case:9:decision")

    assert again.public_id == email.public_id


def test_personalisation_is_escaped_in_the_html_part(person):
    [message] = notification_queue(
        person=person,
        event="case_decision",
        context={**DECISION, "decision": "<b>rədd</b>"},
        channel_preferences=["email"],
        dedupe_key="html",
    )

    assert "&lt;b&gt;rədd&lt;/b&gt;" in message.body_html


def test_a_refused_mailbox_fails_permanently(smtp_server, person):
    smtp_server.refuse.add(person.verified_email)
    [message] = queue_decision(person)

    assert message_send(message_id=message.pk) == Status.FAILED_PERMANENTLY
    message.refresh_from_db()
    assert "550" in message.last_error


def test_an_unreachable_mail_server_is_a_temporary_failure(smtp_server, person, settings):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    [message] = queue_decision(person)

    assert message_send(message_id=message.pk) == Status.FAILED_TEMPORARILY
    message.refresh_from_db()
    assert message.attempts == 1
    assert smtp_server.received == []
