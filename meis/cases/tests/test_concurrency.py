"""Two workers claiming the same case at the same moment: exactly one wins (PostgreSQL)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from meis.cases import services
from meis.cases.models import Case
from meis.cases.tests.conftest import answers, pdf


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_make_one_winner(citizen, version, centre, worker, worker_2):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    case = services.case_submit(
        person=citizen,
        version=version,
        answers=answers(),
        channel="api",
        actor=AnonymousUser(),
        centre=centre,
        contact_channel="portal",
        contact_value="",
        idempotency_key=str(uuid.uuid4()),
        documents=[("identity_card", pdf()), ("family_composition_certificate", pdf())],
    ).case
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def claim(user: object) -> None:
        barrier.wait()
        try:
            services.case_claim(case=case, actor=user, expected_version=1)  # type: ignore[arg-type]
            outcomes.append("won")
        except services.CaseConflict:
            outcomes.append("lost")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in (worker, worker_2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost", "won"]
    assert Case.objects.get(pk=case.pk).version == 2
