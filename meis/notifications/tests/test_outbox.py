"""The outbox: messages written in the caller's transaction, deduplicated, claimed once,
retried with backoff, swept when their task was lost."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meis.notifications.channels import TemporaryFailure
from meis.notifications.models import Channel, Message, Status
from meis.notifications.selectors import inbox_list, inbox_unread_count, messages_for_case
from meis.notifications.services import (
    delivery,
    inbox_item_mark_read,
    notification_queue,
    notification_queue_to_contact,
    outbox_sweep,
)
from meis.notifications.services.delivery import message_send, messages_claim
from meis.notifications.tasks import outbox_deliver
from meis.notifications.tests.conftest import person_create

NOW = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
DECISION = {
    "name": "Gülşən Məmmədova",
    "case_reference": "MEİS-2026-000123",
    "service_name": "Ünvanlı dövlət sosial yardımı",
    "decision": "təyin edildi",
    "portal_url": "https://meis.example/az/cases/MEİS-2026-000123/",
}


def queue_decision(person, *, dedupe_key="case:123:decision", channels=("email",)):
    return notification_queue(
        person=person,
        event="case_decision",
        context=DECISION,
        channel_preferences=list(channels),
        dedupe_key=dedupe_key,
        case_reference="MEIS-2026-0000123",
    )


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_business_change_leaves_neither_message_nor_task(person):
    def decide_then_fail():
        with transaction.atomic():
            queue_decision(person)
            raise Boom

    with pytest.raises(Boom):
        decide_then_fail()

    assert Message.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_queueing_writes_the_message_and_a_delivery_task(person):
    [message] = queue_decision(person)

    task = DBTaskResult.objects.get(id=message.task_id)
    assert message.status == Status.QUEUED
    assert message.recipient == person.verified_email
    assert task.status == TaskResultStatus.READY
    assert task.task_path == outbox_deliver.module_path
    assert "Qərar: təyin edildi" in message.body_text


def test_a_transaction_queueing_many_messages_writes_one_delivery_task(person):
    with transaction.atomic():
        messages = [queue_decision(person, dedupe_key=f"many:{i}")[0] for i in range(20)]

    assert DBTaskResult.objects.count() == 1
    assert {m.task_id for m in messages} == {DBTaskResult.objects.get().id}


def test_a_rolled_back_savepoint_takes_its_delivery_task_and_the_next_write_makes_another(
    person,
):
    with transaction.atomic():
        try:
            with transaction.atomic():
                queue_decision(person, dedupe_key="undone")
                raise Boom
        except Boom:
            pass
        [kept] = queue_decision(person, dedupe_key="kept")

    assert list(Message.objects.values_list("dedupe_key", flat=True)) == ["kept"]
    assert list(DBTaskResult.objects.values_list("id", flat=True)) == [kept.task_id]


def test_queueing_costs_one_insert_per_message_once_the_template_is_cached(
    person, settings, django_assert_num_queries
):
    settings.NOTIFICATION_TEMPLATE_CACHE_SECONDS = 60
    with transaction.atomic():
        queue_decision(person, dedupe_key="warm-up")  # template read, delivery task, message
        # then one INSERT … ON CONFLICT DO NOTHING per message: no look-up, no savepoint
        with django_assert_num_queries(10):
            for i in range(10):
                queue_decision(person, dedupe_key=f"cheap:{i}")


def test_a_new_template_version_is_used_at_once_by_the_process_that_saved_it(person, settings):
    from meis.notifications.models import Template
    from meis.notifications.services import template_version_create

    settings.NOTIFICATION_TEMPLATE_CACHE_SECONDS = 60
    queue_decision(person, dedupe_key="before")
    template = Template.objects.get(event="case_decision", language="az")
    template.email_subject = "Yeni mövzu: ((case_reference))"
    template_version_create(template=template, actor=None)

    [message] = queue_decision(person, dedupe_key="after")

    assert message.subject == "Yeni mövzu: MEİS-2026-000123"


def test_a_retried_business_action_makes_one_message_per_channel(person):
    first = queue_decision(person, channels=("email", "sms"))
    again = queue_decision(person, channels=("email", "sms"))

    assert [m.pk for m in first] == [m.pk for m in again]
    assert Message.objects.count() == 2


def test_a_person_without_a_verified_contact_gets_no_message_sent(templates):
    person = person_create(verified_email=None)

    [message] = queue_decision(person)

    assert message.status == Status.FAILED_PERMANENTLY
    assert "no verified" in message.last_error
    assert message.task_id is None


def test_a_normal_message_to_an_explicit_unverified_contact_is_not_sent(person):
    message = notification_queue_to_contact(
        contact="stranger@example.az",
        channel=Channel.EMAIL,
        event="one_time_code",
        context={"code": "123456", "minutes_valid": 5},
        language="az",
        dedupe_key="otp:1",
        person=person,
        contact_verification=False,
    )

    assert message.status == Status.FAILED_PERMANENTLY
    assert "never verified" in message.last_error


def test_a_one_time_code_may_go_to_the_contact_being_verified(person):
    message = notification_queue_to_contact(
        contact="+994 55 765 43 21",
        channel=Channel.SMS,
        event="one_time_code",
        context={"code": "654321", "minutes_valid": 5},
        language="ru",
        dedupe_key="otp:2",
        person=person,
    )

    assert message.status == Status.QUEUED
    assert message.recipient == "+994557654321"
    assert message.body_text.startswith("Код MEİS: 654321.")


def test_only_one_time_codes_may_go_to_an_unverified_contact(person):
    with pytest.raises(ValueError, match="unverified"):
        notification_queue_to_contact(
            contact="x@example.az",
            channel=Channel.EMAIL,
            event="case_decision",
            context=DECISION,
            language="az",
            dedupe_key="x",
        )


def test_a_missing_context_field_is_an_error_when_queueing(person):
    with pytest.raises(ValueError, match="portal_url"):
        notification_queue(
            person=person,
            event="case_decision",
            context={k: v for k, v in DECISION.items() if k != "portal_url"},
            channel_preferences=["email"],
            dedupe_key="k",
        )


@pytest.mark.parametrize(("preferred", "expected"), [("en", "Decision on"), ("ru", "Решение")])
def test_the_citizens_language_is_used(templates, preferred, expected):
    [message] = queue_decision(person_create(preferred_language=preferred))

    assert message.subject.startswith(expected)


def test_azerbaijani_is_used_when_the_language_has_no_template(person):
    from meis.notifications.models import Template

    Template.objects.filter(event="case_decision", language="ru").delete()
    [message] = queue_decision(person_create(preferred_language="ru"))

    assert message.language == "az"
    assert message.subject.startswith("MEİS-2026-000123 nömrəli")


def test_only_one_worker_claims_a_message(person, monkeypatch):
    sent = []

    class Recording:
        def send(self, message, *, attachments=()):
            sent.append(message)
            return "ref-1"

    monkeypatch.setattr(delivery, "adapter_for", lambda channel: Recording())
    [message] = queue_decision(person)

    assert message_send(message_id=message.pk) == Status.SENT
    assert message_send(message_id=message.pk) == "not claimable"
    assert len(sent) == 1


def _failing_adapter(monkeypatch):
    class Failing:
        def send(self, message, *, attachments=()):
            raise TemporaryFailure("server busy")

    monkeypatch.setattr(delivery, "adapter_for", lambda channel: Failing())


def test_temporary_failures_back_off_exponentially_then_the_message_dies(
    person, monkeypatch, settings
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    _failing_adapter(monkeypatch)
    with time_machine.travel(NOW, tick=False) as clock:
        [message] = queue_decision(person)
        delays, attempted_at = [], NOW
        for _ in range(3):
            assert message_send(message_id=message.pk) == Status.FAILED_TEMPORARILY
            message.refresh_from_db()
            delays.append((message.next_attempt_at - attempted_at).total_seconds())
            assert message_send(message_id=message.pk) == "not claimable"  # not due yet
            attempted_at = message.next_attempt_at
            clock.move_to(attempted_at)
        assert message_send(message_id=message.pk) == Status.DEAD

    message.refresh_from_db()
    assert delays == [30, 60, 120]
    assert (message.status, message.attempts) == (Status.DEAD, 4)
    assert "server busy" in message.last_error


def test_each_retry_has_a_deferred_task(person, monkeypatch):
    _failing_adapter(monkeypatch)
    [message] = queue_decision(person)

    message_send(message_id=message.pk)

    message.refresh_from_db()
    task = DBTaskResult.objects.get(id=message.task_id)
    assert task.status == TaskResultStatus.READY
    assert task.run_after == message.next_attempt_at


def test_the_sweep_resends_a_message_whose_worker_died_while_sending(person, settings):
    settings.NOTIFICATION_SENDING_LEASE = 300
    with time_machine.travel(NOW, tick=False):
        [message] = queue_decision(person)
        # A worker takes the delivery task and claims the message, then is killed.
        DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=NOW)
        assert [m.pk for m in messages_claim(limit=100)] == [message.pk]
        assert outbox_sweep() == 0  # still within the lease: the worker may be alive
    with time_machine.travel(NOW + timedelta(seconds=301), tick=False):
        assert outbox_sweep() == 1
        assert outbox_sweep() == 0  # the new task is waiting: nothing more to do
        waiting = DBTaskResult.objects.ready().get()
        assert [m.pk for m in messages_claim(limit=100)] == [message.pk]

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENDING, 2)
    assert waiting.task_path == outbox_deliver.module_path


def test_the_sweep_requeues_a_queued_message_whose_task_a_dead_worker_had_taken(person, settings):
    settings.NOTIFICATION_SENDING_LEASE = 300
    with time_machine.travel(NOW, tick=False):
        queue_decision(person)
        # The worker took the task, then died before claiming the message.
        DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=NOW)
        assert outbox_sweep() == 0  # still within the lease: the worker may be alive
    with time_machine.travel(NOW + timedelta(seconds=301), tick=False):
        assert outbox_sweep() == 1
        assert outbox_sweep() == 0


def test_the_sweep_requeues_a_due_message_whose_task_vanished(person):
    queue_decision(person)
    DBTaskResult.objects.all().delete()

    assert outbox_sweep() == 1
    assert outbox_sweep() == 0


def test_a_due_retry_without_its_deferred_task_is_swept(person, monkeypatch):
    _failing_adapter(monkeypatch)
    [message] = queue_decision(person)
    message_send(message_id=message.pk)
    DBTaskResult.objects.all().delete()
    message.refresh_from_db()

    with time_machine.travel(message.next_attempt_at, tick=False):
        assert outbox_sweep() == 1


def test_the_scheduler_runs_the_outbox_sweep_once(person):
    queue_decision(person)
    DBTaskResult.objects.all().delete()

    call_command("scheduler", "--once")

    assert DBTaskResult.objects.count() == 1


def test_portal_messages_are_delivered_to_the_inbox_at_once(person):
    [message] = queue_decision(person, channels=("portal",))
    other = person_create()

    assert message.status == Status.DELIVERED
    assert list(inbox_list(person=person)) == [message]
    assert inbox_unread_count(person=person) == 1
    assert inbox_item_mark_read(person=other, message_id=message.pk) is False
    assert inbox_item_mark_read(person=person, message_id=message.pk) is True
    assert inbox_unread_count(person=person) == 0


def test_the_case_timeline_lists_its_messages_with_their_status(person):
    messages = queue_decision(person, channels=("email", "sms", "portal"))

    timeline = messages_for_case(case_reference="MEIS-2026-0000123")

    assert [(m.channel, m.status) for m in timeline] == [(m.channel, m.status) for m in messages]
