"""Adapters that let other apps send through the outbox without knowing it.

`OutboxOneTimeCodeSender` implements meis.accounts.delivery.OneTimeCodeSender: set
`MEIS_ONE_TIME_CODE_SENDER = "meis.notifications.integrations.OutboxOneTimeCodeSender"`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction

from meis.notifications.events import EventCode
from meis.notifications.models import Channel
from meis.notifications.services import notification_queue_to_contact
from meis.registry.models import Person

ONE_TIME_CODE_MINUTES_VALID = 5
# Where a rehearsed code would go: a well-formed mobile number; nothing is ever written for it.
REHEARSAL_RECIPIENT = "+994500000000"


class OutboxOneTimeCodeSender:
    def send(self, *, person: Person, channel: str, recipient: str, code: str) -> None:
        verified = person.verified_email if channel == Channel.EMAIL else person.verified_phone
        notification_queue_to_contact(
            contact=recipient,
            channel=channel,
            event=EventCode.ONE_TIME_CODE,
            context={"code": code, "minutes_valid": ONE_TIME_CODE_MINUTES_VALID},
            language=person.preferred_language,
            # Each code request is a new message; the caller sends each code once.
            dedupe_key=f"one_time_code:{uuid.uuid4()}",
            person=person,
            # A code to a contact other than the verified one proves ownership of a new contact.
            contact_verification=(recipient or "").lower() != (verified or "").lower(),
        )

    def rehearse(self, *, code: str) -> None:
        """`send`'s work (the template, the rendering, the outbox row and its delivery task)
        in a savepoint that is rolled back: no message is kept and nothing is delivered (a
        rolled-back savepoint's on-commit hooks are dropped with it)."""
        with transaction.atomic():
            # `send` to a person's verified contact looks that it is one (one indexed look-up).
            Person.objects.filter(verified_phone=REHEARSAL_RECIPIENT, pk=0).exists()
            notification_queue_to_contact(
                contact=REHEARSAL_RECIPIENT,
                channel=Channel.SMS,
                event=EventCode.ONE_TIME_CODE,
                context={"code": code, "minutes_valid": ONE_TIME_CODE_MINUTES_VALID},
                language=settings.LANGUAGE_CODE,
                dedupe_key=f"one_time_code:{uuid.uuid4()}",
                person=None,
                contact_verification=True,
            )
            transaction.set_rollback(True)
