"""The database itself refuses to change or delete an audit event (PostgreSQL trigger), even
through raw SQL on the application's own connection."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from meis.audit.models import AuditEvent
from meis.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET purpose = 'nothing happened' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_audit_event(sql: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's (SQLite is the single-user demo)")
    event = audit_record(action="other", actor=None, purpose="a read that happened")

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).purpose == "a read that happened"
