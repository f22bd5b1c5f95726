"""The message table's indexes: each one serves a query, none duplicates another, and the
look-ups by reference and dedupe key use them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meis.employment.benefit import _offered
from meis.notifications.models import Message
from meis.notifications.selectors import message_search, messages_for_case
from meis.notifications.services import notification_queue
from meis.notifications.tests.conftest import person_create
from meis.notifications.tests.test_outbox import DECISION


def message_indexes() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Message._meta.db_table)
    return {
        name: info["columns"]
        for name, info in constraints.items()
        if info["index"] and not info["primary_key"]
    }


@pytest.mark.django_db
def test_look_ups_by_person_use_the_inbox_index_and_none_by_template_has_one():
    columns = list(message_indexes().values())

    assert ["person_id", "channel", "created_at"] in columns
    assert ["person_id"] not in columns
    assert not [index for index in columns if "template_id" in index]


def letter(person, *, dedupe_key: str, case_reference: str):
    [message] = notification_queue(
        person=person,
        event="case_decision",
        context=DECISION,
        channel_preferences=["email"],
        dedupe_key=dedupe_key,
        case_reference=case_reference,
    )
    return message


def test_staff_find_an_award_letter_by_its_reference_whoever_it_went_to(templates):
    holder, mother, stranger = person_create(), person_create(), person_create()
    letter(holder, dedupe_key="award:52", case_reference="award-52")
    # A child's award writes to each parent, its dedupe key naming the parent.
    letter(mother, dedupe_key=f"award:52:to:{mother.pk}", case_reference="award-52")
    letter(stranger, dedupe_key="award:520", case_reference="award-520")
    letter(stranger, dedupe_key="award:5", case_reference="award-5")

    found = message_search(case_reference="Award-52")

    assert {m.person_id for m in found} == {holder.pk, mother.pk}
    assert [m.person for m in message_search(case_reference="award-5")] == [stranger]


def test_staff_find_a_cases_messages_as_typed_on_an_azerbaijani_keyboard(templates):
    person = person_create()
    letter(person, dedupe_key="case:1:decision", case_reference="MEIS-2026-0000001")
    letter(person, dedupe_key="code:1", case_reference="")

    assert message_search(case_reference=" meİs-2026-0000001").count() == 1
    assert messages_for_case(case_reference="MEIS-2026-0000001").count() == 1
    assert message_search(case_reference="anything else").count() == 0


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="collations and plans are PostgreSQL's"
)


@on_postgresql
@pytest.mark.django_db
def test_the_key_columns_compare_byte_by_byte():
    """Migration 0017 sets it (SQLite compares bytes anyway); an AlterField that changes one of
    these columns' type would reset it and slow every message written."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT a.attname, c.collname FROM pg_attribute a
               JOIN pg_collation c ON c.oid = a.attcollation
               WHERE a.attrelid = 'notifications_message'::regclass
                 AND a.attname IN ('channel', 'status', 'dedupe_key', 'case_reference')"""
        )
        collations = dict(cursor.fetchall())

    assert collations == dict.fromkeys(["channel", "status", "dedupe_key", "case_reference"], "C")


def plans_of_message_reads(read) -> list[str]:
    """The plans of the queries `read()` runs on the message table, with the planner told to
    avoid sequential scans wherever an index can serve (on a test's few rows it would rather
    read the table)."""
    with CaptureQueriesContext(connection) as queries:
        read()
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries.captured_queries:
            if 'FROM "notifications_message"' in query["sql"]:
                cursor.execute(f"EXPLAIN {query['sql']}")
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def searches_the_index(plan: str, index: str, *leading: str) -> bool:
    """The plan looks rows up in `index` by its leading columns, not by reading it all."""
    conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    return index in plan and all(any(c in line for line in conditions) for c in leading)


@on_postgresql
def test_every_look_up_by_reference_or_dedupe_key_searches_an_index(templates):
    person = person_create()
    letter(person, dedupe_key="award:52", case_reference="award-52")
    dedupe, case = "notifications_message_dedupe", "notifications_msg_case"

    [award] = plans_of_message_reads(lambda: list(message_search(case_reference="award-52")))
    [search] = plans_of_message_reads(
        lambda: list(message_search(case_reference="MEIS-2026-0000001"))
    )
    [timeline] = plans_of_message_reads(
        lambda: list(messages_for_case(case_reference="MEIS-2026-0000001"))
    )
    [offered] = plans_of_message_reads(lambda: _offered(["unemployment:1", "award:52"]))

    assert searches_the_index(award, case, "case_reference")
    assert searches_the_index(search, case, "case_reference")
    assert searches_the_index(timeline, case, "case_reference")
    assert searches_the_index(offered, dedupe, "channel", "dedupe_key")
