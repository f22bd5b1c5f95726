# mypy: disable-error-code="no-untyped-def,attr-defined"
"""Set-based writes: COPY's binary format on PostgreSQL writes the values the frame holds."""

from __future__ import annotations

import datetime
import uuid

import polars as pl
import pytest
from django.db import connection

from meis.awards.models import Award, DecisionBasis
from meis.core import bulk
from meis.notifications.models import Message, Template
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY's binary format is PostgreSQL's"
)

NOW = datetime.datetime(2020, 3, 2, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def _message_row(person_id: int, template_id: int, **overrides) -> dict[str, object]:
    row: dict[str, object] = {
        "public_id": uuid.UUID(int=7).hex,  # 32 hex digits, as time_ordered_ids gives them
        "person_id": person_id,
        "channel": "sms",
        "event": "proactive_award",
        "language": "az",
        "template_id": template_id,
        "recipient": "+994501234567",
        "is_contact_verification": False,
        "subject": "",
        "body_text": "Hörmətli Gülşən, sizə pensiya təyin edilib: 425,50 ₼.",
        "body_html": "",
        "case_reference": "award-1",
        "dedupe_key": "award:1",
        "status": "queued",
        "attempts": 0,
        "next_attempt_at": NOW,
        "sent_at": None,
        "last_error": "",
        "provider_reference": "",
        "resend_count": 0,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return {**row, **overrides}


def test_a_message_row_reads_back_as_written(db: None) -> None:
    person = PersonFactory()
    template = Template.objects.filter(event="proactive_award", language="az").first()
    assert template is not None
    frame = pl.DataFrame([_message_row(person.pk, template.pk)]).with_columns(
        pl.col("sent_at").cast(pl.Datetime("us", "UTC")),
        pl.col("attempts", "resend_count").cast(pl.Int32),
    )

    bulk.frame_write(Message._meta.db_table, frame)

    message = Message.objects.get(dedupe_key="award:1")
    assert message.public_id == uuid.UUID(int=7)
    assert message.body_text == "Hörmətli Gülşən, sizə pensiya təyin edilib: 425,50 ₼."
    assert message.next_attempt_at == NOW
    assert message.sent_at is None
    assert message.is_contact_verification is False
    assert (message.attempts, message.resend_count) == (0, 0)


def test_timestamps_given_as_text_or_without_zone_are_read_as_utc(db: None) -> None:
    person = PersonFactory()
    template = Template.objects.filter(event="proactive_award", language="az").first()
    assert template is not None
    rows = [
        _message_row(person.pk, template.pk, dedupe_key="a", public_id=uuid.UUID(int=1).hex),
        _message_row(person.pk, template.pk, dedupe_key="b", public_id=uuid.UUID(int=2).hex),
    ]
    frame = pl.DataFrame(rows).with_columns(
        created_at=pl.Series(["2020-03-02T09:30:15.123456+00:00"] * 2),
        updated_at=pl.Series([NOW.replace(tzinfo=None)] * 2),
    )

    bulk.frame_write(Message._meta.db_table, frame)

    stamps = set(Message.objects.values_list("created_at", "updated_at"))
    assert stamps == {(NOW, NOW)}


def test_an_award_row_keeps_its_decision_record_dates_and_nulls(db: None) -> None:
    person = PersonFactory()
    basis = DecisionBasis.objects.create(
        scheme="old_age_pension", on=datetime.date(2020, 3, 2), rules_version="t", parameters={}
    )
    record = '{"facts":{"age_years":65,"sex":"F"},"steps":{"amount_qepik":42550}}'
    frame = pl.DataFrame(
        {
            "person_id": [person.pk],
            "household_id": [None],
            "kind": ["old_age_pension"],
            "exclusivity_group": ["labour_pension"],
            "amount_qepik": [42_550],
            "is_one_off": [False],
            "start_on": [datetime.date(2020, 3, 2)],
            "end_on": [None],
            "status": ["active"],
            "origin": ["proactive_run"],
            "origin_reference": ["proactive-run-1/old_age_pension/0"],
            "origin_batch": [1],
            "basis_id": [basis.pk],
            "record": [record],
            "created_at": [NOW],
        }
    )

    bulk.frame_write(Award._meta.db_table, frame)

    award = Award.objects.get(person_id=person.pk)
    assert award.record == {
        "facts": {"age_years": 65, "sex": "F"},
        "steps": {"amount_qepik": 42550},
    }
    assert (award.start_on, award.end_on, award.household_id) == (
        datetime.date(2020, 3, 2),
        None,
        None,
    )
    assert award.amount_qepik == 42_550


def test_a_column_type_without_a_binary_form_here_is_written_as_text(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE rates (code varchar(10), rate numeric(6, 3))")
    frame = pl.DataFrame({"code": ["a", "b"], "rate": ["1.250", "0.125"]})

    bulk.frame_write("rates", frame)

    with connection.cursor() as cursor:
        cursor.execute("SELECT code, rate::text FROM rates ORDER BY code")
        assert cursor.fetchall() == [("a", "1.250"), ("b", "0.125")]
