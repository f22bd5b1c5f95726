"""A real Dovecot for the e-mail intake tests (scripts/imap_server.py), one per test process.

Each test gets a mailbox of its own on it (`centre_mailbox`), configured as the mailbox of
centre `baku-1`, so tests never see each other's mail.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import override_settings

from meis.centres.models import ServiceCentre
from meis.mailintake.mailboxes import Mailbox, mailbox_parse
from scripts.imap_server import (
    ImapServer,
    ImapServerUnavailable,
    email_build,
    imap_server,
    mail_deliver,
)

_accounts = itertools.count(1)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[ImapServer]:
    try:
        # An account per test, made up front (Dovecot notices a changed passwd-file only by its
        # modification time, to the second).
        accounts = {f"centre{number}": "secret" for number in range(1, 400)}
        with imap_server(mailboxes=accounts) as server:
            yield server
    except ImapServerUnavailable as error:
        # CI (.ci/run) installs Dovecot and sets MEIS_REQUIRE_IMAP=1: there, no server is a
        # failure, not a quiet skip of the whole e-mail channel's tests.
        if os.environ.get("MEIS_REQUIRE_IMAP") == "1":
            pytest.fail(f"no IMAP server: {error} (MEIS_REQUIRE_IMAP=1 requires it)")
        pytest.skip(f"no IMAP server: {error}")


@dataclass
class CentreMailbox:
    server: ImapServer
    user: str
    centre: ServiceCentre

    @property
    def address(self) -> str:
        return f"{self.user}@dost.example.az"

    @property
    def mailbox(self) -> Mailbox:
        return mailbox_parse(f"{self.centre.code}={self.server.url(self.user)}")

    def deliver(self, *messages: bytes) -> None:
        mail_deliver(self.server, self.user, messages)

    def write(self, **fields: object) -> bytes:
        """A message to this centre (`email_build` fields); delivered and returned."""
        fields.setdefault("to", self.address)
        raw = email_build(**fields)  # type: ignore[arg-type]
        self.deliver(raw)
        return raw


@pytest.fixture
def centre_mailbox(dovecot: ImapServer, db: None) -> Iterator[CentreMailbox]:
    user = f"centre{next(_accounts)}"
    centre = ServiceCentre.objects.get(code="baku-1")
    with override_settings(MAIL_INTAKE_MAILBOXES=f"baku-1={dovecot.url(user)}"):
        yield CentreMailbox(server=dovecot, user=user, centre=centre)
