# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""The Presidential stipend granted from the veterans' registers, without an application."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from meis.awards.models import Award, AwardKind
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.proactive.services.pipeline import run_execute, run_start
from meis.proactive.tests.factories import DisabilityDecisionFactory
from meis.registry.tests.factories import PersonFactory
from meis.usage.models import UsageEvent
from meis.veterans.tests.factories import StipendStatusFactory

DAY = datetime.date(2020, 3, 2)
YESTERDAY = datetime.date(2020, 3, 1)
SCHEME = ["presidential_stipend"]


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    templates_seed(Template)


def daily(on: datetime.date = DAY):
    return run_execute(run_start(on=on, schemes=SCHEME))


@override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=1000)
def full(on: datetime.date = DAY):
    return run_execute(run_start(on=on, mode="full", schemes=SCHEME))


def stipends(person) -> list[Award]:
    return list(Award.objects.filter(person=person, kind=AwardKind.PRESIDENTIAL_STIPEND))


def test_a_status_recorded_yesterday_grants_the_stipend_with_its_letter(db: None) -> None:
    status = StipendStatusFactory(degree="I", person=PersonFactory(preferred_language="en"))

    daily()

    (award,) = stipends(status.person)
    assert (award.amount_qepik, award.start_on) == (40000, YESTERDAY)
    assert award.exclusivity_group == "presidential_stipend"
    letter = Message.objects.filter(person=status.person, event="proactive_award").first()
    assert letter is not None
    assert letter.language == "en"
    assert "Presidential stipend" in letter.body_text


def test_a_full_run_grants_every_status_holder_once(db: None) -> None:
    old = StipendStatusFactory(
        category="wwii_veteran", degree="", recorded_on=datetime.date(2019, 5, 9)
    )

    full()
    full(DAY + datetime.timedelta(days=1))
    daily(DAY + datetime.timedelta(days=2))

    (award,) = stipends(old.person)
    assert award.amount_qepik == 30000
    assert Message.objects.filter(person=old.person, event="proactive_award").count() >= 1
    letters = Message.objects.filter(person=old.person, event="proactive_award")
    assert letters.values("dedupe_key").distinct().count() == 1


def test_a_second_daily_run_grants_nothing_more(db: None) -> None:
    status = StipendStatusFactory()

    daily()
    run_execute(run_start(on=DAY + datetime.timedelta(days=1), schemes=SCHEME))
    full()

    assert len(stipends(status.person)) == 1


def test_several_categories_pay_one_stipend_the_highest(db: None) -> None:
    person = PersonFactory()
    StipendStatusFactory(person=person, degree="III")  # 300 AZN in 2020
    StipendStatusFactory(person=person, category="martyr_family", degree="")  # 500 AZN

    daily()

    (award,) = stipends(person)
    assert award.amount_qepik == 50000
    assert award.record["steps"]["paid_category"] == "martyr_family"


def test_the_dead_get_no_stipend(db: None) -> None:
    status = StipendStatusFactory(person=PersonFactory(died_on=datetime.date(2020, 2, 1)))

    daily()
    full()

    assert stipends(status.person) == []


def test_a_patriotic_war_hero_title_is_not_paid_before_it_existed(db: None) -> None:
    status = StipendStatusFactory(category="patriotic_war_hero", degree="")

    daily()

    assert stipends(status.person) == []


def test_the_stipend_combines_with_a_disability_pension(db: None) -> None:
    status = StipendStatusFactory(degree="I")
    DisabilityDecisionFactory(person=status.person, degree="I", decided_on=YESTERDAY)

    run_execute(run_start(on=DAY))  # the day's default run: pensions, benefits and stipends

    kinds = set(Award.objects.filter(person=status.person).values_list("kind", flat=True))
    assert AwardKind.PRESIDENTIAL_STIPEND in kinds


def test_a_held_stipend_excludes_a_second_one(db: None) -> None:
    status = StipendStatusFactory(degree="III")
    daily()
    StipendStatusFactory(person=status.person, category="national_hero", degree="", recorded_on=DAY)

    daily(DAY + datetime.timedelta(days=1))

    assert len(stipends(status.person)) == 1


def test_a_grant_counts_among_the_stipends_assigned_proactively(db: None) -> None:
    status = StipendStatusFactory()

    daily()

    assert stipends(status.person)
    assert UsageEvent.objects.filter(kind="proactive", service_code="stipend").count() == 1
