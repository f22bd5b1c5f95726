"""Channel adapters: hand one message to the e-mail server or the SMS gateway.

An adapter returns the provider's reference on success and raises `TemporaryFailure` (retry with
backoff) or `PermanentFailure` (never retry). Sending is at-least-once: a worker that dies after
the hand-over but before recording it sends again, so every e-mail carries a Message-ID and every
SMS request an `Idempotency-Key` derived from the message's dedupe key, letting the receiver drop
the duplicate.
"""

from __future__ import annotations

import json
import logging
import smtplib
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import NamedTuple, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from meis.notifications.models import Channel, Message

logger = logging.getLogger(__name__)


class TemporaryFailure(Exception):
    """The channel may accept the message later: retry with backoff.

    `channel_down` says the server itself is unreachable, so the rest of a batch fails the same
    way without each message waiting for its own time-out.
    """

    def __init__(self, reason: str, *, channel_down: bool = False) -> None:
        super().__init__(reason)
        self.channel_down = channel_down


class PermanentFailure(Exception):
    """The channel will never accept this message: do not retry."""


class EmailAttachment(NamedTuple):
    """A file as Django's EmailMessage.attach takes it."""

    file_name: str
    content: bytes
    content_type: str


class ChannelAdapter(Protocol):
    def send(self, message: Message, *, attachments: Sequence[EmailAttachment] = ()) -> str: ...


def message_id_header(message: Message) -> str:
    return f"<{message.public_id}@{settings.NOTIFICATION_MESSAGE_ID_DOMAIN}>"


class EmailAdapter:
    """Django's e-mail backend (SMTP in production, EMAIL_URL); one open connection per thread,
    reused for every message of a batch. A file name with Azerbaijani letters is encoded per
    RFC 2231 (`filename*=utf-8''…`) by Django's EmailMessage."""

    _local = threading.local()

    def send(self, message: Message, *, attachments: Sequence[EmailAttachment] = ()) -> str:
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id_header(message)},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        for attachment in attachments:
            email.attach(*attachment)
        try:
            self._send(email)
        except smtplib.SMTPRecipientsRefused as error:
            self._forget_connection()
            codes = [code for code, _text in error.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise PermanentFailure(f"Recipient refused: {error.recipients}") from error
            raise TemporaryFailure(f"Recipient refused for now: {error.recipients}") from error
        except smtplib.SMTPResponseException as error:
            self._forget_connection()
            failure = PermanentFailure if 500 <= error.smtp_code < 600 else TemporaryFailure
            raise failure(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
        except (smtplib.SMTPException, OSError) as error:
            self._forget_connection()
            raise TemporaryFailure(f"SMTP: {error!r}", channel_down=True) from error
        return message_id_header(message)

    def _send(self, email: EmailMultiAlternatives) -> None:
        connection, reused = self._connection()
        email.connection = connection
        try:
            email.send()
        except smtplib.SMTPServerDisconnected:
            if not reused:
                raise
            # The server closed an idle connection: open a fresh one and try once more.
            self._forget_connection()
            email.connection, _reused = self._connection()
            email.send()

    def _connection(self) -> tuple[BaseEmailBackend, bool]:
        key = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)
        cached: tuple[tuple[object, ...], BaseEmailBackend] | None = getattr(
            self._local, "connection", None
        )
        if cached is not None and cached[0] == key:
            return cached[1], True
        self._forget_connection()
        connection = get_connection(fail_silently=False)
        connection.open()
        self._local.connection = (key, connection)
        return connection, False

    @classmethod
    def connection_close(cls) -> None:
        """Close this thread's connection, if one is open."""
        cls._forget_connection_of(cls._local)

    def _forget_connection(self) -> None:
        self._forget_connection_of(self._local)

    @staticmethod
    def _forget_connection_of(local: threading.local) -> None:
        cached = getattr(local, "connection", None)
        local.connection = None
        if cached is not None:
            try:
                cached[1].close()
            except (smtplib.SMTPException, OSError):
                logger.debug("Closing a broken SMTP connection failed", exc_info=True)


class SmsGatewayAdapter:
    """The SMS gateway's HTTP API (docs/sms-gateway.md): one JSON POST per message."""

    def send(self, message: Message, *, attachments: Sequence[EmailAttachment] = ()) -> str:
        """Attachments are not sent by SMS: the portal inbox offers them."""
        url = settings.SMS_GATEWAY_URL
        if url == "console:":
            logger.info("SMS to %s: %s", message.recipient, message.body_text)
            return f"console-{message.public_id}"
        if not url.startswith(("http://", "https://")):
            raise TemporaryFailure("SMS_GATEWAY_URL is not set to an http(s) address.")
        request = urllib.request.Request(  # noqa: S310 — scheme checked above
            url,
            data=json.dumps(
                {
                    "to": message.recipient,
                    "text": message.body_text,
                    "reference": str(message.public_id),
                },
                ensure_ascii=False,
            ).encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
                "Idempotency-Key": str(message.public_id),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=settings.SMS_GATEWAY_TIMEOUT
            ) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            retry = error.code in (408, 425, 429) or error.code >= 500
            failure = TemporaryFailure if retry else PermanentFailure
            raise failure(f"SMS gateway answered HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise TemporaryFailure(
                f"SMS gateway unreachable: {error!r}", channel_down=True
            ) from error
        except json.JSONDecodeError as error:
            raise TemporaryFailure("SMS gateway answered with invalid JSON") from error
        return str(answer.get("id", ""))[:100]


_ADAPTERS: dict[str, ChannelAdapter] = {
    Channel.EMAIL: EmailAdapter(),
    Channel.SMS: SmsGatewayAdapter(),
}


def adapter_for(channel: str) -> ChannelAdapter:
    return _ADAPTERS[channel]
