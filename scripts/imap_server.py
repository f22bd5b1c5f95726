"""A throwaway Dovecot IMAP server on 127.0.0.1 for tests, benchmarks and the demo.

Never the system service: Debian's `dovecot` binary (package `dovecot-imapd`) runs with its own
configuration in a temporary directory, on a free port, with passwd-file authentication and
maildir storage, as the user running it (its internal and login users are that user too).

    with imap_server(mailboxes={"baku-1": "secret"}) as server:
        server.port, server.url("baku-1")   # imap://baku-1:secret@127.0.0.1:<port>/INBOX

From a shell: `scripts/imap-server baku-1:secret dost-2:secret` prints the URLs and serves until
Ctrl-C.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

DOVECOT = os.environ.get("DOVECOT_BINARY", "/usr/sbin/dovecot")


class ImapServerUnavailable(RuntimeError):
    """Dovecot is not installed (`apt-get install dovecot-imapd`) or did not start."""


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    directory: Path
    passwords: dict[str, str]  # grows with `account_add`

    def url(self, user: str, folder: str = "INBOX") -> str:
        """The mailbox address in the form `MAIL_INTAKE_MAILBOXES` takes."""
        return f"imap://{user}:{self.passwords[user]}@{self.host}:{self.port}/{folder}"

    def maildir(self, user: str) -> Path:
        return self.directory / "mail" / user


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _account() -> pwd.struct_passwd:
    """The user Dovecot runs as: the caller, or `nobody` when the caller is root (as in CI)."""
    if os.getuid() == 0:
        return pwd.getpwnam(os.environ.get("DOVECOT_USER", "nobody"))
    return pwd.getpwuid(os.getuid())


def _config(directory: Path, port: int, account: pwd.struct_passwd) -> str:
    user, uid, gid = account.pw_name, account.pw_uid, account.pw_gid
    group = grp.getgrgid(gid).gr_name
    return f"""
base_dir = {directory}/run
state_dir = {directory}/state
log_path = {directory}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
last_valid_gid = {gid}
mail_location = maildir:{directory}/mail/%u
mail_fsync = never
imap_max_line_length = 1M
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {directory}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {directory}/passwd
  default_fields = uid={uid} gid={gid} home={directory}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service pop3-login {{
  chroot =
}}
"""


def _wait_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    text = log.read_text(errors="replace") if log.exists() else ""
    raise ImapServerUnavailable(f"Dovecot did not start on port {port}:\n{text[-2000:]}")


@contextlib.contextmanager
def imap_server(*, mailboxes: Mapping[str, str]) -> Iterator[ImapServer]:
    """Start Dovecot with one account per `user: password`, stop it and remove its files after."""
    if not Path(DOVECOT).exists():
        raise ImapServerUnavailable(f"{DOVECOT} is missing: apt-get install dovecot-imapd")
    directory = Path(tempfile.mkdtemp(prefix="meis-imap-"))
    try:
        for sub in ("run", "state", "mail", "home"):
            (directory / sub).mkdir()
        (directory / "passwd").write_text(
            "".join(f"{user}:{{PLAIN}}{password}::::::\n" for user, password in mailboxes.items())
        )
        port = _free_port()
        account = _account()
        config = directory / "dovecot.conf"
        config.write_text(_config(directory, port, account))
        if os.getuid() == 0:  # never run the server as root: hand the directory to `nobody`
            for path in (directory, *directory.rglob("*")):
                os.chown(path, account.pw_uid, account.pw_gid)
        process = subprocess.Popen(  # noqa: S603 (a fixed binary and our own config)
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            user=account.pw_uid,
            group=account.pw_gid,
            extra_groups=[],
        )
        try:
            _wait_listening(port, process, directory / "dovecot.log")
            yield ImapServer(
                host="127.0.0.1", port=port, directory=directory, passwords=dict(mailboxes)
            )
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def email_build(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str = "",
    files: Iterable[tuple[str, str, bytes]] = (),
    headers: Mapping[str, str] | None = None,
    message_id: str | None = None,
) -> bytes:
    """A MIME message as a mail client writes it; `files` are (name, content type, bytes)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.az")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text or "\n")
    for name, content_type, content in files:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def mail_deliver(server: ImapServer, user: str, messages: Iterable[bytes]) -> int:
    """Put messages into the user's INBOX over IMAP (APPEND), as the mail server would."""
    import imaplib

    client = imaplib.IMAP4(server.host, server.port)
    count = 0
    try:
        client.login(user, server.passwords[user])
        for raw in messages:
            status, _data = client.append("INBOX", "", None, raw)
            if status != "OK":
                raise ImapServerUnavailable(f"APPEND failed: {_data!r}")
            count += 1
    finally:
        client.logout()
    return count


def main(argv: list[str]) -> int:
    accounts = dict(arg.split(":", 1) for arg in argv) or {"centre": "centre"}
    with imap_server(mailboxes=accounts) as server:
        for user in accounts:
            print(server.url(user), flush=True)  # noqa: T201 (a command-line tool)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
