"""The centres' mailboxes, from `MAIL_INTAKE_MAILBOXES` (docs/configuration.md).

One entry per centre, comma-separated: `<centre code>=imap[s]://<user>:<password>@<host>[:<port>]
[/<folder>]`; the user and password are URL-encoded (`%40` for `@`). `imaps` is TLS from the
first byte (port 993 by default), `imap` is STARTTLS when the server offers it, else plain
(port 143; plain only for a server on 127.0.0.1, as in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Mailbox:
    centre_code: str
    host: str
    port: int
    user: str
    password: str
    folder: str
    is_tls: bool

    def __repr__(self) -> str:  # never print the password
        return f"Mailbox({self.centre_code!r}, {self.user}@{self.host}:{self.port}/{self.folder})"


def mailbox_parse(entry: str) -> Mailbox:
    """One `code=imap://user:password@host:port/folder` entry."""
    code, sep, url = entry.strip().partition("=")
    parts = urlsplit(url.strip())
    if not sep or not code or parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ImproperlyConfigured(
            "MAIL_INTAKE_MAILBOXES: each entry is <centre code>=imap[s]://user:password@host"
            f"[:port][/folder]; got {code.strip() or entry[:20]!r}."
        )
    is_tls = parts.scheme == "imaps"
    return Mailbox(
        centre_code=code.strip(),
        host=parts.hostname,
        port=parts.port or (993 if is_tls else 143),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        is_tls=is_tls,
    )


def mailboxes_configured() -> list[Mailbox]:
    """Every configured mailbox, in the order given."""
    raw: str = getattr(settings, "MAIL_INTAKE_MAILBOXES", "")
    return [mailbox_parse(entry) for entry in raw.split(",") if entry.strip()]
