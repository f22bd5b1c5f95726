# mypy: disable-error-code="no-untyped-def"
"""With a streaming replica configured, a bank's certificate check, the published statistics and
the calculators read from the replica and leave the primary to the writes; a citizen who has just
acted reads from the primary.

The replica is real: `scripts/postgres_replica.py` starts a primary holding a copy of this test's
database and a hot standby made from it with pg_basebackup, streaming (PostgreSQL only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.certificates.models import Certificate
from meis.certificates.tests.conftest import bank_api
from meis.certificates.tests.test_journey import code_in, get_certificate
from meis.core.replica import RECENT_WRITE_COOKIE, REPLICA
from scripts.postgres_replica import ReplicaPair, replica_pair

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def replica() -> Iterator[ReplicaPair]:
    """A streaming replica of this test database as it is now, as the alias "replica"."""
    if connection.vendor != "postgresql":
        pytest.skip("A streaming replica is PostgreSQL's.")
    primary = connection.settings_dict
    source = (
        f"postgresql://{primary['USER']}@{primary['HOST'] or '127.0.0.1'}:"
        f"{primary['PORT'] or 5432}/{primary['NAME']}"
    )
    with replica_pair(name=primary["NAME"], copy_of=source) as pair:
        connections.settings[REPLICA] = {
            **primary,
            "HOST": "127.0.0.1",
            "PORT": str(pair.replica_port),
            "CONN_MAX_AGE": None,  # one connection for the test, kept across its requests
        }
        # Opened here: the test case allows only the aliases it knew when it started.
        connections[REPLICA].connect()
        try:
            yield pair
        finally:
            if REPLICA in connections:
                connections[REPLICA].close()
                del connections[REPLICA]
            del connections.settings[REPLICA]


def reads(queries: CaptureQueriesContext, table: str) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if re.search(rf'FROM "{table}"', q["sql"])]


def selects(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT")]


@pytest.fixture
def issued(pensioner, catalogue) -> str:
    """A pension certificate issued to the pensioner; its verification code."""
    return code_in(get_certificate(signed_in_citizen_client(pensioner)))


def test_a_banks_check_reads_the_certificate_from_the_replica(issued, replica) -> None:
    bank = Client()
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as standby,
    ):
        page = bank.get(f"/en/verify/{issued}/?organisation=Kapital+Bank")

    assert page.status_code == 200
    assert "Valid" in page.content.decode()
    assert reads(standby, "certificates_certificate")
    assert selects(primary) == []  # the primary only logs the check (a write)
    assert any(q["sql"].startswith("INSERT") for q in primary.captured_queries)
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True  # a standby: it could not have taken the write


def test_a_banks_api_check_reads_the_certificate_from_the_replica(issued, replica) -> None:
    bank = bank_api()  # registered and signed in on the primary, after the replica was made

    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as standby,
    ):
        answer = bank.get(f"/api/v1/certificates/{issued}")

    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "valid"
    assert reads(standby, "certificates_certificate")
    assert reads(primary, "certificates_certificate") == []


def test_statistics_and_calculators_read_from_the_replica(replica) -> None:
    visitor = Client()
    with CaptureQueriesContext(connections["default"]) as primary:
        statistics = visitor.get("/en/statistics/")
        calculator = visitor.get("/en/calculators/pension/")

    assert (statistics.status_code, calculator.status_code) == (200, 200)
    assert selects(primary) == []


def test_a_citizen_who_has_just_acted_reads_from_the_primary(issued, pensioner, replica) -> None:
    citizen = signed_in_citizen_client(pensioner)
    get_certificate(citizen)  # a POST: from now on this client reads its own writes
    assert citizen.cookies[RECENT_WRITE_COOKIE]["max-age"] == 30

    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as standby,
    ):
        page = citizen.get(f"/en/verify/{issued}/")

    assert page.status_code == 200
    assert reads(primary, "certificates_certificate")
    assert standby.captured_queries == []
    assert Certificate.objects.count() == 2  # the second one exists on the primary only
