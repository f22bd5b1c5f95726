"""A parent applies for their disabled child's benefit: the award is the child's, not the
parent's (whose age would end it before it starts)."""

from __future__ import annotations

import datetime
from typing import cast

import pytest
import time_machine

from meis.awards.models import Award, AwardKind, AwardOrigin
from meis.cases import services
from meis.cases.models import CaseStatus
from meis.cases.tests.conftest import iban, pdf
from meis.cases.tests.decisions.stories import file, taken_by
from meis.proactive.tests.factories import BirthFactory
from meis.registry.models import Person
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

MAY_2020 = datetime.datetime(2020, 5, 4, 9, tzinfo=datetime.UTC)


def test_a_disabled_childs_benefit_applied_for_by_a_parent_is_granted_to_the_child(
    citizen, version, centre, pensions_worker, registers
):
    child = cast(Person, PersonFactory(birth_on=datetime.date(2012, 6, 1)))
    BirthFactory(child=child, mother=citizen, born_on=child.birth_on)
    registers.facts["disabled_child_benefit"] = {
        "birth_on": child.birth_on,
        "disability_percent": 60,
    }
    with time_machine.travel(MAY_2020):
        case = file(
            citizen,
            centre,
            code="disabled-child-benefit",
            answers={
                "child_fin": child.fin,
                "contact_phone": "050 123 45 67",
                "bank_account_iban": iban(),
            },
            documents=[
                (code, pdf())
                for code in ("identity_card", "birth_certificate", "disability_decision")
            ],
        )
        case = taken_by(case, pensions_worker)
        case = services.case_approve(
            case=case, actor=pensions_worker, expected_version=case.version
        )

    assert case.status == CaseStatus.APPROVED
    award = Award.objects.get(kind=AwardKind.DISABLED_CHILD_BENEFIT)
    assert award.person == child
    assert award.origin == AwardOrigin.CASE_DECISION
    assert award.end_on is not None
    assert award.end_on < datetime.date(2030, 6, 1)  # the child turns 18; the parent is 40+
    assert not Award.objects.filter(person=citizen).exists()
