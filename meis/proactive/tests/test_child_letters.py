# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,union-attr"
"""A disabled child's benefit is the child's, and its letter goes to the child's parents — or,
without one, to an adult of the child's household, or, without either, to the child."""

from __future__ import annotations

import datetime

import pytest

from meis.awards.models import Award
from meis.awards.selectors import award_list_for_person
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.proactive.services import letters
from meis.proactive.services.letters import child_dedupe_key
from meis.proactive.services.pipeline import run_execute, run_start
from meis.proactive.tests.factories import BirthFactory, DisabilityDecisionFactory
from meis.registry.tests.factories import HouseholdMembershipFactory, PersonFactory

DAY = datetime.date(2020, 3, 2)
YESTERDAY = DAY - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    templates_seed(Template)


@pytest.fixture
def path(request, monkeypatch) -> str:
    """Letters one by one (a day's few) or set-based (a full run's many)."""
    monkeypatch.setattr(letters, "ONE_BY_ONE_LIMIT", 200 if request.param == "one by one" else 0)
    return str(request.param)


def parent(**fields):
    return PersonFactory(
        preferred_language="en", verified_email=f"{fields['first_name']}@example.az", **fields
    )


def disabled_child(*, mother=None, father=None):
    child = PersonFactory(
        first_name="Leyla", last_name="Əliyeva", birth_on=datetime.date(2012, 5, 1)
    )
    child.membership = HouseholdMembershipFactory(person=child, relation="child")
    if mother is not None:
        BirthFactory(child=child, mother=mother, father=father, born_on=child.birth_on)
    DisabilityDecisionFactory(person=child, degree="child", percentage=70, decided_on=YESTERDAY)
    return child


def _accounts(*, mother, child) -> None:
    """The mother is paid at Kapital Bank, the child's awards at ABB (the directory, seeded
    again in case a transactional test flushed it)."""
    import importlib

    from django.apps import apps

    from meis.payments.services import payment_account_set
    from meis.payments.tests.conftest import iban

    for name in ("0002_seed_banks", "0008_seed_branches_and_card_bank"):
        importlib.import_module(f"meis.payments.migrations.{name}").seed(apps, None)
    payment_account_set(person=mother, iban=iban("AIIB", 1), actor=None, reason="")
    payment_account_set(person=child, iban=iban("IBAZ", 2), actor=None, reason="")


def day_run():
    return run_execute(run_start(on=DAY, schemes=["disabled_child_benefit"]))


def letters_to(person) -> dict[str, Message]:
    return {m.channel: m for m in Message.objects.filter(person=person)}


@pytest.mark.parametrize("path", ["one by one", "set-based"], indirect=True)
def test_both_parents_get_the_letter_and_the_award_stays_the_childs(db: None, path: str) -> None:
    mother, father = parent(first_name="Aynur"), parent(first_name="Rauf")
    child = disabled_child(mother=mother, father=father)

    day_run()

    award = Award.objects.get(kind="disabled_child_benefit")
    assert award.person_id == child.pk
    for person in (mother, father):
        sent = letters_to(person)
        assert set(sent) == {"portal", "sms", "email"}
        assert {m.event for m in sent.values()} == {"proactive_award_child"}
        assert {m.dedupe_key for m in sent.values()} == {child_dedupe_key(award.pk, person.pk)}
        assert sent["email"].recipient == person.verified_email
    assert not Message.objects.filter(person=child).exists()


@pytest.mark.parametrize("path", ["one by one", "set-based"], indirect=True)
def test_rerunning_sends_the_parents_nothing_new(db: None, path: str) -> None:
    disabled_child(mother=parent(first_name="Aynur"), father=parent(first_name="Rauf"))
    day_run()
    sent = Message.objects.count()

    run_execute(run_start(on=DAY, schemes=["disabled_child_benefit", "disability_benefit"]))
    day_run()

    assert sent == 2 * 3
    assert Message.objects.count() == sent


def test_the_parents_letter_names_the_child_and_says_to_call_142_not_a_page(db: None) -> None:
    mother = parent(first_name="Aynur")
    child = disabled_child(mother=mother)
    _accounts(mother=mother, child=child)

    day_run()

    sent = letters_to(mother)
    email, sms = sent["email"], sent["sms"]
    assert email.subject == "Disabled child benefit awarded for Leyla Əliyeva"
    assert "Leyla Əliyeva has been awarded Disabled child benefit" in email.body_text
    # The child's award is paid to the child's account: its bank, not the mother's.
    assert "The bank branch that pays it: ABB (Azərbaycan Beynəlxalq Bankı)." in email.body_text
    assert "call the 142 call centre" in email.body_text
    assert "Bank: ABB (Azərbaycan Beynəlxalq Bankı). Questions: call 142" in sms.body_text
    assert "/my/awards/" not in email.body_text + sms.body_text + sent["portal"].body_text


def test_a_parent_does_not_see_the_childs_award_among_their_own(db: None) -> None:
    mother = parent(first_name="Aynur")
    child = disabled_child(mother=mother)

    day_run()

    assert list(award_list_for_person(person=mother)) == []
    assert award_list_for_person(person=child).count() == 1


def test_a_dead_parent_gets_no_letter_the_living_one_does(db: None) -> None:
    mother = parent(first_name="Aynur", died_on=datetime.date(2019, 1, 1))
    father = parent(first_name="Rauf")
    disabled_child(mother=mother, father=father)

    day_run()

    assert not Message.objects.filter(person=mother).exists()
    assert set(letters_to(father)) == {"portal", "sms", "email"}


@pytest.mark.parametrize("path", ["one by one", "set-based"], indirect=True)
def test_without_parents_the_adult_head_of_the_household_gets_the_letter(
    db: None, path: str
) -> None:
    child = disabled_child()
    household = child.membership.household
    grandmother = parent(first_name="Səkinə", birth_on=datetime.date(1950, 1, 1))
    uncle = parent(first_name="Elçin", birth_on=datetime.date(1990, 1, 1))
    HouseholdMembershipFactory(household=household, person=grandmother, relation="head")
    HouseholdMembershipFactory(household=household, person=uncle, relation="other")

    day_run()

    assert {m.event for m in Message.objects.filter(person=grandmother)} == {
        "proactive_award_child"
    }
    assert not Message.objects.filter(person__in=[uncle, child]).exists()


def test_without_parents_an_underage_head_is_passed_over_for_the_eldest_adult(db: None) -> None:
    child = disabled_child()
    household = child.membership.household
    brother = parent(first_name="Orxan", birth_on=datetime.date(2004, 1, 1))  # 16 on the day
    aunt = parent(first_name="Günel", birth_on=datetime.date(1980, 1, 1))
    HouseholdMembershipFactory(household=household, person=brother, relation="head")
    HouseholdMembershipFactory(household=household, person=aunt, relation="other")

    day_run()

    assert Message.objects.filter(person=aunt, event="proactive_award_child").exists()
    assert not Message.objects.filter(person=brother).exists()


@pytest.mark.parametrize("path", ["one by one", "set-based"], indirect=True)
def test_without_parent_or_adult_the_child_gets_the_letter_and_the_report_counts_it(
    db: None, path: str
) -> None:
    child = disabled_child()

    run = day_run()

    assert {m.event for m in Message.objects.filter(person=child)} == {"proactive_award"}
    assert run.report["schemes"]["disabled_child_benefit"]["letter_to_child_only"] == 1


@pytest.mark.parametrize("path", ["set-based"], indirect=True)
def test_a_full_runs_set_based_letters_reach_the_parents(db: None, path: str) -> None:
    mother = parent(first_name="Aynur")
    disabled_child(mother=mother)

    run_execute(run_start(on=DAY, mode="full", schemes=["disabled_child_benefit"]))

    assert {m.event for m in Message.objects.filter(person=mother)} == {"proactive_award_child"}
