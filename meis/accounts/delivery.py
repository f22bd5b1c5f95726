"""How a one-time code reaches a person: a one-method interface the notifications app replaces.

`MEIS_ONE_TIME_CODE_SENDER` names the class (dotted path). The default queues the code in the
notifications outbox (`meis.notifications.integrations.OutboxOneTimeCodeSender`), in the same
transaction as the challenge; with DEBUG on, /dev/messages/ shows what the outbox holds.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from meis.accounts.models import CodeChannel
from meis.registry.models import Person


class OneTimeCodeSender(Protocol):
    def send(self, *, person: Person, channel: CodeChannel, recipient: str, code: str) -> None:
        """Deliver `code` to `recipient` over `channel`; called after the challenge is stored."""

    def rehearse(self, *, code: str) -> None:
        """Do the work of `send` for a code no one receives and keep nothing: sign-in calls it
        for an unknown FİN + document pair, so that the answer takes as long as for a real
        one and its time does not tell whether the pair belongs to someone."""


def one_time_code_sender() -> OneTimeCodeSender:
    sender_class = import_string(settings.MEIS_ONE_TIME_CODE_SENDER)
    sender: OneTimeCodeSender = sender_class()
    return sender
