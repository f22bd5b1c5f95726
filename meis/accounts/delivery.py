"""How a one-time code reaches a person: a one-method interface the notifications app replaces.

`MEIS_ONE_TIME_CODE_SENDER` names the class (dotted path). The default writes the message to the
development mailbox/SMS log (`DevMessage`), readable at /dev/messages/ only when DEBUG is on.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from meis.accounts.models import CodeChannel, DevMessage
from meis.registry.models import Person


class OneTimeCodeSender(Protocol):
    def send(self, *, person: Person, channel: CodeChannel, recipient: str, code: str) -> None:
        """Deliver `code` to `recipient` over `channel`; called after the challenge is stored."""


def code_message(*, code: str, language: str) -> str:
    with translation.override(language):
        return _(
            "Your MEİS sign-in code is %(code)s. It is valid for 5 minutes. Never tell this code "
            "to anyone, including staff of the ministry or the call centre."
        ) % {"code": code}


class DevMessageSender:
    """Stores the message in the development mailbox/SMS log instead of sending it."""

    def send(self, *, person: Person, channel: CodeChannel, recipient: str, code: str) -> None:
        DevMessage.objects.create(
            channel=channel,
            recipient=recipient,
            person=person,
            body=code_message(code=code, language=person.preferred_language),
        )


def one_time_code_sender() -> OneTimeCodeSender:
    sender_class = import_string(settings.MEIS_ONE_TIME_CODE_SENDER)
    sender: OneTimeCodeSender = sender_class()
    return sender
