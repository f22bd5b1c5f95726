"""Every link a person receives opens on a phone: absolute, on the site's public address."""

from __future__ import annotations

import os
import subprocess
import sys

import polars as pl
import pytest

from meis.notifications.services import notification_queue
from meis.notifications.services.bulk import messages_frame
from meis.notifications.tests.conftest import person_create

pytestmark = pytest.mark.django_db

DECISION = {
    "name": "Gülşən Məmmədova",
    "case_reference": "MEIS-2020-0000001",
    "service_name": "Ünvanlı dövlət sosial yardımı",
    "decision": "təyin edildi",
    "portal_url": "/az/applications/MEIS-2020-0000001/",
}


def test_a_message_queued_one_by_one_carries_the_absolute_address(settings):
    settings.PUBLIC_BASE_URL = "https://e-sosial.example.gov.az"
    person = person_create()

    messages = notification_queue(
        person=person,
        event="case_decision",
        context=DECISION,
        channel_preferences=["email", "sms"],
        dedupe_key="case:1:decision",
        case_reference="MEIS-2020-0000001",
    )

    link = "https://e-sosial.example.gov.az/az/applications/MEIS-2020-0000001/"
    for message in messages:
        assert link in message.body_text, message.channel
        assert " /az/" not in message.body_text


def test_letters_written_set_based_carry_the_absolute_address(settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8765"
    person = person_create()
    recipients = pl.DataFrame(
        {
            "person_id": [person.pk],
            "language": ["az"],
            "channel": ["email"],
            "recipient": [person.verified_email],
            "dedupe_key": ["award:1"],
            "case_reference": ["award-1"],
            "name": ["A"],
            "award_name": ["B"],
            "amount": ["1"],
            "start_on": ["2 mart 2020"],
            "portal_url": ["/az/my/awards/"],
            "bank_branch": ["Kapital Bank"],
        }
    )

    row = messages_frame(event="proactive_award", recipients=recipients).row(0, named=True)

    assert "http://127.0.0.1:8765/az/my/awards/" in row["body_text"]
    assert "http://127.0.0.1:8765/az/my/awards/" in row["body_html"]


def test_without_a_configured_address_links_use_the_first_allowed_host(settings):
    settings.PUBLIC_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["meis.example.gov.az"]
    person = person_create()

    [message] = notification_queue(
        person=person,
        event="case_decision",
        context=DECISION,
        channel_preferences=["sms"],
        dedupe_key="case:2:decision",
        case_reference="MEIS-2020-0000001",
    )

    assert "https://meis.example.gov.az/az/applications/MEIS-2020-0000001/" in message.body_text


@pytest.mark.parametrize("port", ["8000", "8765"])
def test_the_demo_links_follow_the_port_make_run_serves_on(port):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "PUBLIC_BASE_URL", "CERTIFICATE_VERIFY_BASE_URL"}
    }
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'meis.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.PUBLIC_BASE_URL, s.CERTIFICATE_VERIFY_BASE_URL)"
    )
    result = subprocess.run(  # noqa: S603 — our own interpreter, fixed arguments
        [sys.executable, "-c", script],
        env={**env, "DEBUG": "1", "PORT": port},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split() == [f"http://127.0.0.1:{port}"] * 2
