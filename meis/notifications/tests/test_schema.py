"""The message table's indexes: each one serves a query, none duplicates another."""

import pytest
from django.db import connection

from meis.notifications.models import Message


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
