"""Two employers notify the same person's main job at the same moment (PostgreSQL, two
connections): the register keeps one, the other employer is told why, and nothing of theirs is
written."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import translation

from meis.insurance.models import InsuranceAccount
from meis.labour.models import Assurance, Contract, NotificationBatch
from meis.labour.services import NotificationRefused, contract_conclude
from meis.labour.tests.factories import EmployerFactory, draft
from meis.notifications.models import Message
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*actions: Callable[[], object]) -> list[str]:
    """Run the actions on their own connections, released together: "won" or the problem codes."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            with translation.override("en"):
                action()
            outcomes.append("won")
        except NotificationRefused as refused:
            outcomes.append(",".join(problem.code for problem in refused.problems))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_main_jobs_notified_at_once_register_one() -> None:
    worker = PersonFactory.create()
    bakery, garage = EmployerFactory.create(), EmployerFactory.create()

    def hire(employer: object) -> Callable[[], object]:
        return lambda: contract_conclude(
            employer=employer,  # type: ignore[arg-type]
            draft=draft(worker.fin),
            actor=None,
            assurance=Assurance.ONE_TIME_CODE,
        )

    outcomes = at_once(hire(bakery), hire(garage))

    assert outcomes.count("won") == 1
    # The loser checked before the winner committed (the constraint decided) or after it.
    (lost,) = [outcome for outcome in outcomes if outcome != "won"]
    assert lost in ("concurrent_change", "second_main_job")
    kept = Contract.objects.get(person=worker)
    assert kept.is_main_job
    assert InsuranceAccount.objects.filter(person=worker).count() == 1
    assert Message.objects.filter(person=worker, event="contract_registered").count() == (
        Message.objects.filter(
            person=worker,
            event="contract_registered",
            dedupe_key__startswith=f"contract:{kept.pk}:",
        ).count()
    )
    # The losing notification left no batch with a registered row behind.
    assert sum(NotificationBatch.objects.values_list("registered", flat=True)) == 1
