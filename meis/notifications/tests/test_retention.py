"""Retention: message text and attachment bytes are removed on schedule; the receipt stays."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command

from meis.notifications.models import Attachment, Channel, Message, Status
from meis.notifications.services import (
    MessageNotResendable,
    message_contents_redact,
    message_resend,
    notification_queue_to_contact,
)
from meis.notifications.tests.conftest import person_create
from meis.notifications.tests.test_attachments import LETTER, queue_with_letter

NOW = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


def one_time_code(person, *, key="otp:1"):
    return notification_queue_to_contact(
        contact=person.verified_email,
        channel=Channel.EMAIL,
        event="one_time_code",
        context={"code": "482913", "minutes_valid": 5},
        language="az",
        dedupe_key=key,
        person=person,
    )


def mark(message, status):
    Message.objects.filter(pk=message.pk).update(status=status, sent_at=NOW)


def test_a_sent_one_time_code_loses_its_text_an_hour_later_and_keeps_its_receipt(person):
    with time_machine.travel(NOW, tick=False):
        code = one_time_code(person)
        mark(code, Status.SENT)
        assert message_contents_redact() == 0  # the code may still be in use
    with time_machine.travel(NOW + timedelta(hours=1, seconds=1), tick=False):
        assert message_contents_redact() == 1
        assert message_contents_redact() == 0  # idempotent

    code.refresh_from_db()
    assert "482913" not in code.body_text + code.body_html
    assert (code.body_text, code.body_html) == ("", "")
    assert code.body_redacted_at == NOW + timedelta(hours=1, seconds=1)
    assert (code.status, code.recipient, code.sent_at, code.subject) == (
        Status.SENT,
        person.verified_email,
        NOW,
        "MEİS: birdəfəlik kod",
    )


def test_a_code_still_waiting_to_be_sent_keeps_its_text(person):
    with time_machine.travel(NOW, tick=False):
        code = one_time_code(person)
    with time_machine.travel(NOW + timedelta(days=400), tick=False):
        assert message_contents_redact() == 0

    code.refresh_from_db()
    assert "482913" in code.body_text


def test_old_emails_lose_text_and_file_after_the_retention_days_and_the_inbox_keeps_them(
    person, settings
):
    settings.NOTIFICATION_BODY_RETENTION_DAYS = 30
    with time_machine.travel(NOW, tick=False):
        email, portal = queue_with_letter(person, channels=("email", "portal"))
        mark(email, Status.SENT)
    with time_machine.travel(NOW + timedelta(days=29), tick=False):
        assert message_contents_redact() == 0
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        assert message_contents_redact() == 1

    email.refresh_from_db()
    portal.refresh_from_db()
    assert (email.body_text, email.body_html) == ("", "")
    assert email.body_redacted_at is not None
    assert "Hörmətli" in portal.body_text
    assert portal.body_redacted_at is None
    email_file, portal_file = Attachment.objects.order_by("id")
    assert (email_file.file_name, email_file.size, email_file.sha256) == (
        LETTER.name,
        len(LETTER.content),
        LETTER.sha256,
    )
    assert not email_file.is_available
    # The bytes stay while the inbox copy still offers them.
    assert portal_file.is_available
    assert default_storage.exists(portal_file.storage_name)


def test_the_bytes_go_when_no_message_offers_them_any_more(
    person, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_BODY_RETENTION_DAYS = 30
    with time_machine.travel(NOW, tick=False):
        [email] = queue_with_letter(person)
        mark(email, Status.SENT)
    stored = Attachment.objects.get().storage_name

    with (
        time_machine.travel(NOW + timedelta(days=31), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message_contents_redact()

    assert not default_storage.exists(stored)


def test_failed_messages_keep_their_text_until_they_are_finished(person, settings):
    settings.NOTIFICATION_BODY_RETENTION_DAYS = 30
    with time_machine.travel(NOW, tick=False):
        [email] = queue_with_letter(person)
        Message.objects.filter(pk=email.pk).update(status=Status.FAILED_TEMPORARILY)
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        assert message_contents_redact() == 0


def test_a_redacted_message_cannot_be_resent(person, settings):
    settings.NOTIFICATION_BODY_RETENTION_DAYS = 30
    with time_machine.travel(NOW, tick=False):
        [email] = queue_with_letter(person, dedupe_key="dead")
        mark(email, Status.DEAD)
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        message_contents_redact()

    email.refresh_from_db()
    assert not email.is_resendable
    with pytest.raises(MessageNotResendable, match="retention"):
        message_resend(message=email, actor=None)


def test_the_scheduler_runs_the_retention_job(templates):
    person = person_create()
    with time_machine.travel(NOW, tick=False):
        code = one_time_code(person)
        mark(code, Status.SENT)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        call_command("scheduler", "--once")

    code.refresh_from_db()
    assert code.body_redacted_at is not None
