"""Two officers deciding the same case at once: exactly one wins, the other is told (PostgreSQL,
two connections)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import translation

from meis.awards.models import Award
from meis.cases import services
from meis.cases.models import Case, CaseDecision, CaseStatus, DecisionState
from meis.cases.tests.decisions.stories import FAMILY_OF_FOUR, file, taken_by

pytestmark = pytest.mark.django_db(transaction=True)

CONFLICT = "Someone else changed this case while you were looking at it."


def at_once(*actions: Callable[[], object]) -> list[str]:
    """Run the actions on their own connections, released together; "won" or the message."""
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
        except services.CaseActionError as lost:
            outcomes.append(str(lost))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_an_approval_and_a_refusal_at_once_make_one_decision(
    citizen, version, centre, worker, head, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    case = taken_by(file(citizen, centre), worker)

    outcomes = at_once(
        lambda: services.case_approve(case=case, actor=worker, expected_version=case.version),
        lambda: services.case_reject(
            case=case,
            actor=head,
            reason="tsa_vehicle",
            departure_reason="The family's car is in a relative's name.",
            expected_version=case.version,
        ),
    )

    assert outcomes.count("won") == 1
    assert any(CONFLICT in outcome for outcome in outcomes)
    decided = Case.objects.get(pk=case.pk)
    # The approval took effect, or the refusal waits for a second officer: never both.
    assert decided.status in (CaseStatus.APPROVED, CaseStatus.AWAITING_CONFIRMATION)
    assert CaseDecision.objects.filter(case=case).count() == 1
    assert Award.objects.count() == (1 if decided.status == CaseStatus.APPROVED else 0)


def test_two_second_officers_confirming_at_once_grant_one_award(
    citizen, version, centre, worker, worker_2, head, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    case = taken_by(file(citizen, centre), worker)
    case = services.case_approve(
        case=case,
        actor=worker,
        amount_qepik=30_000,
        departure_reason="Care costs the rules do not count.",
        expected_version=case.version,
    )

    outcomes = at_once(
        lambda: services.case_decision_confirm(
            case=case, actor=worker_2, expected_version=case.version
        ),
        lambda: services.case_decision_confirm(
            case=case, actor=head, expected_version=case.version
        ),
    )

    assert outcomes.count("won") == 1
    assert any(CONFLICT in outcome for outcome in outcomes)
    assert Award.objects.get(person=citizen).amount_qepik == 30_000
    assert CaseDecision.objects.get(case=case).state == DecisionState.TAKEN
