"""Batch delivery to a real SMTP server: one task, one connection, many messages; rows written
without a task (set-based, as the proactive letters are) go out after the sweep."""

import uuid

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meis.notifications.models import Channel, Message, Status, Template
from meis.notifications.services import delivery, outbox_sweep
from meis.notifications.services.delivery import outbox_deliver_due
from meis.notifications.tasks import message_deliver, outbox_deliver
from meis.notifications.tests.conftest import free_port, run_worker
from meis.notifications.tests.test_outbox import queue_decision


@pytest.mark.django_db(transaction=True)
def test_one_task_sends_a_transactions_messages_over_one_smtp_connection(
    smtp_server, person, settings
):
    settings.NOTIFICATION_BATCH_SIZE = 4
    with transaction.atomic():
        messages = [queue_decision(person, dedupe_key=f"batch:{i}")[0] for i in range(10)]

    run_worker()

    assert DBTaskResult.objects.count() == 1
    assert len(smtp_server.received) == 10
    assert len(set(smtp_server.peers)) == 1
    assert {str(mail["Message-ID"]) for mail in smtp_server.received} == {
        f"<{m.public_id}@meis.example>" for m in messages
    }
    assert set(Message.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


@pytest.mark.django_db(transaction=True)
def test_rows_inserted_without_a_task_are_delivered_once_the_sweep_runs(smtp_server, person):
    template = Template.objects.get(event="case_decision", language="az", version=1)
    now = timezone.now()
    Message.objects.bulk_create(
        Message(
            public_id=uuid.uuid4(),
            person=person,
            channel=Channel.EMAIL,
            event="case_decision",
            language="az",
            template=template,
            recipient=person.verified_email,
            subject="Qərar",
            body_text="Hörmətli Gülşən Məmmədova, qərar qəbul edilib.",
            dedupe_key=f"set-based:{i}",
            next_attempt_at=now,
        )
        for i in range(3)
    )

    run_worker()
    assert smtp_server.received == []  # no task was written for them
    assert outbox_sweep() == 3
    run_worker()

    assert len(smtp_server.received) == 3
    assert not Message.objects.exclude(status=Status.SENT).exists()


def test_an_unreachable_mail_server_fails_the_batch_at_once_with_one_retry_task(
    smtp_server, person, settings
):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    for i in range(5):
        queue_decision(person, dedupe_key=f"down:{i}")
    DBTaskResult.objects.all().delete()

    with time_machine.travel(timezone.now(), tick=False):  # the batch fails within one second
        assert outbox_deliver_due() == "failed_temporarily: 5"

    retries = DBTaskResult.objects.all()
    assert set(Message.objects.values_list("status", "attempts")) == {
        (Status.FAILED_TEMPORARILY, 1)
    }
    assert all(
        "Connection refused" in e for e in Message.objects.values_list("last_error", flat=True)
    )
    assert len(retries) == 1
    assert set(Message.objects.values_list("task_id", flat=True)) == {retries[0].id}


@pytest.mark.django_db(transaction=True)
def test_a_task_of_the_earlier_one_per_message_kind_still_sends_its_message(smtp_server, person):
    [message] = queue_decision(person)
    DBTaskResult.objects.all().delete()
    message_deliver.enqueue(str(message.public_id))

    run_worker()

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert [str(mail["Message-ID"]) for mail in smtp_server.received] == [
        f"<{message.public_id}@meis.example>"
    ]


def test_a_long_backlog_hands_the_worker_back_with_a_successor_task(
    smtp_server, person, settings, monkeypatch
):
    settings.NOTIFICATION_BATCH_SIZE = 2
    monkeypatch.setattr(delivery, "TIME_BUDGET_SECONDS", 0)
    for i in range(5):
        queue_decision(person, dedupe_key=f"backlog:{i}")
    DBTaskResult.objects.all().delete()

    assert outbox_deliver_due() == "sent: 2"

    successor = DBTaskResult.objects.ready().get()
    assert successor.task_path == outbox_deliver.module_path
    assert Message.objects.filter(status=Status.QUEUED).count() == 3
