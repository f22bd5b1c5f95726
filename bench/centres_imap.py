"""Benchmark: a DOST centre's mailbox read over IMAP into e-mail drafts (issue 18, IMAP half).

    .venv/bin/python bench/centres_imap.py --messages 1000

What it does, all on 127.0.0.1:
1. drops and creates a PostgreSQL database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/meis_bench_imap) and migrates it (centres, templates);
2. starts a real Dovecot (scripts/imap_server.py) and delivers N e-mails over IMAP APPEND, each
   from its own sender with a text and a one-page PDF attachment (~1 KB);
3. baseline: fetches every message of the mailbox with imap-tools and decodes its attachment,
   doing nothing else — what reading alone costs;
4. intake: `mailbox_read` — headers first, then the messages; per e-mail one transaction with
   the screening, a case reference, the PDF checked and stored, the automatic answer queued
   in the outbox;
5. second read from the first message (`from_start=True`): every e-mail must be skipped by its
   Message-ID — none duplicated, no second answer.

Prints messages/s for the baseline and the intake beside each other, the target (≥ 50/s), and
the counts after the second read. Exits non-zero when a count is wrong.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/meis_bench_imap"
TARGET_PER_SECOND = 50.0
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" + b"% padding\n" * 90 + b"%%EOF\n"
)


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    media = Path(tempfile.mkdtemp(prefix="meis-bench-media-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "meis.test_settings",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(media),
            "LOG_LEVEL": "ERROR",  # each stored PDF would log that no virus scanner is set
            # The production default (the test settings turn the template cache off).
            "NOTIFICATION_TEMPLATE_CACHE_SECONDS": "60",
        }
    )
    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from imap_tools import MailBoxUnencrypted

    from meis.mailintake.mailboxes import mailbox_parse
    from meis.mailintake.models import InboundAttachment, InboundEmail
    from meis.mailintake.services import mailbox_read
    from meis.notifications.models import Message
    from scripts.imap_server import email_build, imap_server, mail_deliver

    try:
        with imap_server(mailboxes={"baku-1": "bench"}) as server:
            started = time.perf_counter()
            delivered = mail_deliver(
                server,
                "baku-1",
                (
                    email_build(
                        sender=f"Vətəndaş {i} <citizen{i}@mail.example.az>",
                        to="baku-1@dost.example.az",
                        subject=f"Müraciət {i}",
                        text=f"Salam, sənədi əlavə edirəm ({i}).",
                        files=[(f"arayis-{i}.pdf", "application/pdf", PDF)],
                    )
                    for i in range(args.messages)
                ),
            )
            print(
                f"setup: {delivered} e-mails with a PDF delivered to Dovecot "
                f"({time.perf_counter() - started:.1f} s)",
                flush=True,
            )

            started = time.perf_counter()
            with MailBoxUnencrypted(server.host, server.port).login("baku-1", "bench") as box:
                fetched = sum(
                    len(message.attachments[0].payload) > 0
                    for message in box.fetch(mark_seen=False, bulk=50)
                )
            baseline = time.perf_counter() - started

            mailbox = mailbox_parse(f"baku-1={server.url('baku-1')}")
            started = time.perf_counter()
            first = mailbox_read(mailbox=mailbox)
            intake = time.perf_counter() - started

            started = time.perf_counter()
            second = mailbox_read(mailbox=mailbox, from_start=True)
            reread = time.perf_counter() - started
    finally:
        shutil.rmtree(media, ignore_errors=True)

    n = args.messages
    kept = InboundEmail.objects.count()
    stored = InboundAttachment.objects.exclude(storage_name="").count()
    answers = Message.objects.filter(event="email_received").count()
    rate = n / intake
    print(f"baseline: plain IMAP fetch + decode  {fetched} messages  {n / baseline:8.1f} msg/s")
    print(
        f"intake:   mailbox_read               {first.counts.get('new', 0)} drafts  "
        f"{rate:8.1f} msg/s  (target ≥ {TARGET_PER_SECOND:.0f}/s: "
        f"{'met' if rate >= TARGET_PER_SECOND else 'NOT met'})"
    )
    print(
        f"re-read:  from the first message     {second.counts.get('duplicate', 0)} skipped "
        f"by Message-ID  {n / reread:8.1f} msg/s"
    )
    print(f"after both reads: {kept} e-mails, {stored} stored PDFs, {answers} answers queued")
    wrong = [kept, stored, answers, first.counts.get("new"), second.counts.get("duplicate")]
    if any(count != n for count in wrong) or fetched != n:
        print("FAILED: a count is not the number of messages (lost or duplicated)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
