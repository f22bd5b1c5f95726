# mypy: disable-error-code="attr-defined,arg-type,comparison-overlap"
# factory_boy types a factory call as the factory, not the model it makes.
"""Registry selectors: normalised look-ups, the sign-in pair, cohorts and households."""

import datetime

import pytest

from meis.core.identifiers import InvalidIdentifier
from meis.registry import selectors
from meis.registry.models import DocumentStatus, Sex
from meis.registry.tests.factories import (
    HouseholdFactory,
    HouseholdMembershipFactory,
    IdentityDocumentFactory,
    OldIdentityDocumentFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
ON = datetime.date(2020, 3, 1)


def test_person_get_by_fin_accepts_the_fin_as_typed(citizen):
    assert selectors.person_get_by_fin(fin=f" {citizen.fin.lower()}") == citizen


def test_person_get_by_fin_returns_none_for_an_unknown_fin(citizen):
    assert selectors.person_get_by_fin(fin="ZZZZZZ9") is None


def test_person_get_by_document_finds_the_holder(citizen):
    number = citizen.documents.get().number
    assert selectors.person_get_by_document(document_number=number.lower()) == citizen


@pytest.mark.parametrize("fin", ["", "ABC", "ABCDEFI", "ABCDEFO", "1234567890", None, "x" * 5000])
def test_a_malformed_fin_raises_invalid_identifier(fin, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(InvalidIdentifier):
        selectors.person_get_by_fin(fin=fin)


@pytest.mark.parametrize("number", ["", "AZE1234567", "AB1234567", "AA12345678", "%"])
def test_a_malformed_document_number_raises_invalid_identifier(number, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(InvalidIdentifier):
        selectors.person_get_by_document(document_number=number)
    with django_assert_num_queries(0), pytest.raises(InvalidIdentifier):
        selectors.person_get_by_fin_and_document(fin="ABC1234", document_number=number)


def test_sign_in_pair_finds_the_holder_of_a_valid_document(citizen):
    number = citizen.documents.get().number
    found = selectors.person_get_by_fin_and_document(fin=citizen.fin, document_number=number, on=ON)
    assert found == citizen


def test_sign_in_pair_refuses_another_persons_document(citizen, other_citizen):
    number = other_citizen.documents.get().number
    assert (
        selectors.person_get_by_fin_and_document(fin=citizen.fin, document_number=number, on=ON)
        is None
    )


@pytest.mark.parametrize(
    "status", [DocumentStatus.EXPIRED, DocumentStatus.LOST, DocumentStatus.REPLACED]
)
def test_sign_in_pair_refuses_a_document_that_is_not_valid(status):
    document = IdentityDocumentFactory(status=status)
    assert (
        selectors.person_get_by_fin_and_document(
            fin=document.person.fin, document_number=document.number, on=ON
        )
        is None
    )


def test_sign_in_pair_refuses_a_document_past_its_expiry_date():
    document = OldIdentityDocumentFactory(status=DocumentStatus.VALID)
    assert (
        selectors.person_get_by_fin_and_document(
            fin=document.person.fin, document_number=document.number, on=ON.replace(year=2023)
        )
        is None
    )


def test_sign_in_pair_refuses_a_dead_person(citizen):
    citizen.died_on = datetime.date(2019, 1, 1)
    citizen.save()
    number = citizen.documents.get().number
    assert (
        selectors.person_get_by_fin_and_document(fin=citizen.fin, document_number=number, on=ON)
        is None
    )


def test_persons_reaching_age_on_finds_the_cohort_born_that_day():
    reaching = PersonFactory(birth_on=datetime.date(1960, 3, 1), sex=Sex.MALE)
    PersonFactory(birth_on=datetime.date(1960, 3, 2), sex=Sex.MALE)
    PersonFactory(
        birth_on=datetime.date(1960, 3, 1), sex=Sex.MALE, died_on=datetime.date(2019, 1, 1)
    )
    woman = PersonFactory(birth_on=datetime.date(1960, 3, 1), sex=Sex.FEMALE)
    found = selectors.persons_reaching_age_on(on=ON, years=60)
    assert set(found) == {reaching, woman}
    assert list(selectors.persons_reaching_age_on(on=ON, years=60, sex=Sex.MALE)) == [reaching]


def test_persons_reaching_age_in_years_and_months():
    person = PersonFactory(birth_on=datetime.date(1957, 9, 1))
    assert list(selectors.persons_reaching_age_on(on=ON, years=62, months=6)) == [person]


def test_people_born_on_29_february_reach_their_age_on_28_february():
    leap = PersonFactory(birth_on=datetime.date(1960, 2, 29))
    on_28th = PersonFactory(birth_on=datetime.date(1960, 2, 28))
    found = selectors.persons_reaching_age_on(on=datetime.date(2021, 2, 28), years=61)
    assert set(found) == {leap, on_28th}
    assert not selectors.persons_reaching_age_on(on=datetime.date(2021, 3, 1), years=61).exists()


def test_household_members_lists_current_members_only():
    household = HouseholdFactory()
    head = HouseholdMembershipFactory(household=household)
    HouseholdMembershipFactory(household=household, relation="child")
    HouseholdMembershipFactory(household=household, left_on=datetime.date(2015, 1, 1))
    members = list(selectors.household_members(household=household))
    assert len(members) == 2
    assert members[0] == head
