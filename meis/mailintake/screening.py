"""What kind of mail a message is, from its headers: a person writing, or something to keep
out of the case queue (a loop, a bounce, spam or a forged sender).

Nothing here replies or writes; `services.email_intake` quarantines what this names, with the
reason, and answers only a person.

- **Loop**: an automatic message (RFC 3834 `Auto-Submitted` other than `no`, `Precedence:
  bulk|junk|list|auto_reply`, `X-Autoreply`, `X-Autorespond`, `X-Auto-Response-Suppress`
  naming auto-replies), one written by MEİS itself (our sender address, or a Message-ID in our
  domain) or by the centre's own mailbox. Answering it could start a reply loop.
- **Bounce**: a delivery report (`multipart/report`, `mailer-daemon@`, `postmaster@`, an empty
  `Return-Path: <>`).
- **Spam**: the receiving server's filter said so (`X-Spam-Flag: YES`, `X-Spam-Status: Yes…`).
- **Forged**: the receiving server's `Authentication-Results` say DMARC or SPF failed for the
  sender's domain, or there is no usable From address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from email.utils import parseaddr

from django.conf import settings

from meis.mailintake.models import QuarantineReason

Headers = Mapping[str, Sequence[str]]  # lower-case name → every value
_BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon)@", re.I)
_AUTH_FAIL = re.compile(r"\b(dmarc|spf)\s*=\s*(fail|softfail)\b", re.I)
_LOOP_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


def _first(headers: Headers, name: str) -> str:
    values = headers.get(name) or ("",)
    return values[0].strip()


def own_addresses() -> set[str]:
    """The addresses MEİS writes from (its replies must never be read as requests)."""
    addresses = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}
    addresses |= {parseaddr(settings.SERVER_EMAIL)[1].lower()}
    return {address for address in addresses if address}


def is_bounce(headers: Headers, sender: str) -> bool:
    content_type = _first(headers, "content-type").lower()
    return (
        content_type.startswith("multipart/report")
        or bool(_BOUNCE_SENDERS.match(sender))
        or _first(headers, "return-path") == "<>"
    )


def is_loop(headers: Headers, sender: str, *, message_id: str, mailbox_address: str) -> bool:
    auto = _first(headers, "auto-submitted").lower()
    if auto and auto != "no":
        return True
    if _first(headers, "precedence").lower() in _LOOP_PRECEDENCE:
        return True
    if headers.get("x-autoreply") or headers.get("x-autorespond"):
        return True
    suppress = _first(headers, "x-auto-response-suppress").lower()
    if "autoreply" in suppress or suppress == "all":
        return True
    domain = settings.NOTIFICATION_MESSAGE_ID_DOMAIN.lower()
    if message_id.lower().rstrip(">").endswith(f"@{domain}"):
        return True
    return sender in own_addresses() or (bool(mailbox_address) and sender == mailbox_address)


def is_spam(headers: Headers) -> bool:
    return _first(headers, "x-spam-flag").lower() == "yes" or _first(
        headers, "x-spam-status"
    ).lower().startswith("yes")


def is_forged(headers: Headers, sender: str) -> bool:
    if "@" not in sender:
        return True
    return any(_AUTH_FAIL.search(value) for value in headers.get("authentication-results", ()))


def quarantine_reason(
    headers: Headers, sender: str, *, message_id: str, mailbox_address: str = ""
) -> str:
    """The reason to keep the message out of the queue, or "" for a person's message."""
    sender = sender.lower()
    if is_bounce(headers, sender):
        return QuarantineReason.BOUNCE
    if is_loop(headers, sender, message_id=message_id, mailbox_address=mailbox_address):
        return QuarantineReason.LOOP
    if is_spam(headers):
        return QuarantineReason.SPAM
    if is_forged(headers, sender):
        return QuarantineReason.FORGED
    return ""
