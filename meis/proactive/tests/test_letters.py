# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,union-attr"
"""A full run's letters, written set-based, are the letters `notification_queue` would write
(but for the public id, time-ordered instead of derived from the dedupe key)."""

from __future__ import annotations

import datetime
import importlib

import polars as pl
import pytest

from meis.awards.models import AwardKind
from meis.awards.services import award_grant, basis_get_or_create
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.notifications.services.bulk import messages_frame
from meis.proactive.services.letters import letters_queue
from meis.proactive.sources import SOURCES
from meis.registry.tests.factories import PersonFactory

DAY = datetime.date(2020, 3, 2)
COMPARED = (
    "channel",
    "language",
    "template_id",
    "recipient",
    "subject",
    "body_text",
    "body_html",
    "case_reference",
    "dedupe_key",
    "status",
)


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    templates_seed(Template)


def granted_rows(people, amount_qepik: int = 123_456) -> pl.DataFrame:
    basis = basis_get_or_create(scheme="old_age_pension", on=DAY)
    rows = []
    for person in people:
        award = award_grant(
            person=person,
            kind=AwardKind.OLD_AGE_PENSION,
            amount_qepik=amount_qepik,
            start_on=DAY,
            basis=basis,
            record={},
        )
        rows.append(
            {
                "person_id": person.pk,
                "award_id": award.pk,
                "amount_qepik": amount_qepik,
                "start_on": DAY,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "preferred_language": person.preferred_language,
                "verified_phone": person.verified_phone,
                "verified_email": person.verified_email,
            }
        )
    return pl.DataFrame(rows)


def letters(granted: pl.DataFrame, *, one_by_one_limit: int) -> list[tuple[object, ...]]:
    """Queue the letters, return them, and delete them (the awards stay)."""
    letters_queue(
        source=SOURCES["old_age_pension"], granted=granted, one_by_one_limit=one_by_one_limit
    )
    messages = Message.objects.filter(event="proactive_award").order_by("person_id", "channel")
    rows = list(messages.values_list(*COMPARED))
    messages.delete()
    return rows


def test_set_based_letters_are_the_rows_notification_queue_writes(db: None) -> None:
    people = [
        PersonFactory(
            first_name="Ayşə <b>",
            last_name="O'Brien & Co",
            preferred_language=language,
            verified_phone=phone,
            verified_email=email,
        )
        for language, phone, email in [
            ("az", "+994501234567", "ayse@example.az"),
            ("ru", None, "olga@example.az"),
            ("en", "+994551234567", None),
        ]
    ]

    granted = granted_rows(people)

    one_by_one = letters(granted, one_by_one_limit=1_000)
    set_based = letters(granted, one_by_one_limit=0)

    assert len(set_based) == 2 + 2 + 3
    assert set_based == one_by_one


def _directory() -> None:
    """The bank directory, seeded again (a transactional test elsewhere may have flushed it)."""
    from django.apps import apps

    for name in ("0002_seed_banks", "0008_seed_branches_and_card_bank"):
        importlib.import_module(f"meis.payments.migrations.{name}").seed(apps, None)


@pytest.mark.parametrize("one_by_one_limit", [1_000, 0], ids=["one by one", "set-based"])
def test_the_letter_names_the_bank_and_branch_of_the_recipients_account(
    db: None, one_by_one_limit: int
) -> None:
    from meis.payments.models import Branch
    from meis.payments.services import payment_account_set
    from meis.payments.tests.conftest import iban

    _directory()
    person = PersonFactory(
        preferred_language="en", verified_phone="+994501234567", verified_email="a@example.az"
    )
    ganja = Branch.objects.get(bank__code="kapital-bank", code="ganja")
    payment_account_set(person=person, iban=iban("AIIB", 8), branch=ganja, actor=None, reason="")

    rows = letters(granted_rows([person]), one_by_one_limit=one_by_one_limit)

    texts = {str(row[0]): (str(row[5]), str(row[6])) for row in rows}  # channel → (text, HTML)
    paid_by = "The bank branch that pays it: Kapital Bank, Gəncə filialı."
    assert paid_by in texts["email"][0]
    assert paid_by in texts["email"][1]
    assert "Bank: Kapital Bank, Gəncə filialı." in texts["sms"][0]


@pytest.mark.parametrize("one_by_one_limit", [1_000, 0], ids=["one by one", "set-based"])
def test_without_an_account_the_letter_says_the_bank_will_be_named(
    db: None, one_by_one_limit: int
) -> None:
    _directory()
    with_account, without = (
        PersonFactory(preferred_language="en", verified_email=f"{n}@example.az") for n in "ab"
    )
    from meis.payments.services import payment_account_set
    from meis.payments.tests.conftest import iban

    payment_account_set(person=with_account, iban=iban("IBAZ", 2), actor=None, reason="")

    rows = letters(granted_rows([with_account, without]), one_by_one_limit=one_by_one_limit)

    emails = {str(row[3]): str(row[5]) for row in rows if row[0] == "email"}
    assert "pays it: ABB (Azərbaycan Beynəlxalq Bankı)." in emails["a@example.az"]
    assert "when your payment account or card is ready" in emails["b@example.az"]
    assert "Kapital Bank" not in emails["b@example.az"]


def test_a_recipient_whose_card_is_ordered_is_told_its_bank_and_branch(db: None) -> None:
    from meis.payments.models import Branch, CardOrder, CardState

    _directory()
    person = PersonFactory(preferred_language="en", verified_email="c@example.az")
    sheki = Branch.objects.get(bank__code="kapital-bank", code="sheki")
    CardOrder.objects.create(
        person=person,
        bank=sheki.bank,
        branch=sheki,
        state=CardState.ORDERED,
        ordered_at=datetime.datetime(2020, 3, 1, tzinfo=datetime.UTC),
    )

    rows = letters(granted_rows([person]), one_by_one_limit=0)

    email = next(str(row[5]) for row in rows if row[0] == "email")
    assert "pays it: Kapital Bank, Şəki filialı." in email


def test_with_no_resolver_registered_every_letter_says_the_bank_will_be_named(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meis.proactive.services import letters as module

    monkeypatch.setattr(module, "_bank_branch_resolvers", [])
    person = PersonFactory(preferred_language="az", verified_email="d@example.az")

    rows = letters(granted_rows([person]), one_by_one_limit=0)

    email = next(str(row[5]) for row in rows if row[0] == "email")
    assert "Kapital Bank" not in email


def test_set_based_letters_leave_channel_messages_queued_without_a_task(db: None) -> None:
    person = PersonFactory(verified_phone="+994501234567", verified_email=None)

    letters_queue(
        source=SOURCES["old_age_pension"], granted=granted_rows([person]), one_by_one_limit=0
    )

    sms = Message.objects.get(person=person, channel="sms")
    portal = Message.objects.get(person=person, channel="portal")
    assert (sms.status, sms.task_id, sms.sent_at) == ("queued", None, None)
    assert (portal.status, portal.delivered_at is not None) == ("delivered", True)


def test_set_based_letters_have_distinct_time_ordered_public_ids(db: None) -> None:
    people = [PersonFactory(verified_phone="+994501234567") for _ in range(3)]

    letters_queue(
        source=SOURCES["old_age_pension"], granted=granted_rows(people), one_by_one_limit=0
    )

    ids = list(Message.objects.order_by("id").values_list("public_id", flat=True))
    assert len(set(ids)) == len(ids) == 6
    assert {i.version for i in ids} == {7}
    assert ids == sorted(ids)


def test_a_channel_without_a_recipient_fails_at_once_as_notification_queue_does(
    db: None,
) -> None:
    person = PersonFactory(preferred_language="en")
    recipients = pl.DataFrame(
        {
            "person_id": [person.pk],
            "language": ["en"],
            "channel": ["sms"],
            "recipient": [None],
            "dedupe_key": ["award:1"],
            "case_reference": ["award-1"],
            "name": ["A"],
            "award_name": ["B"],
            "amount": ["1"],
            "start_on": ["2 March 2020"],
            "portal_url": ["/en/my/awards/"],
            "bank_branch": ["Kapital Bank"],
        },
        schema_overrides={"recipient": pl.String},
    )

    row = messages_frame(event="proactive_award", recipients=recipients).row(0, named=True)

    assert (row["status"], row["last_error"]) == (
        "failed_permanently",
        "The person has no verified SMS.",
    )
