"""Registry constraints that the database itself enforces."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meis.registry.tests.factories import (
    HouseholdMembershipFactory,
    IdentityDocumentFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_a_person_cannot_be_in_two_current_households(citizen):
    HouseholdMembershipFactory(person=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMembershipFactory(person=citizen)


def test_a_person_may_have_left_households_and_be_in_one_current(citizen):
    HouseholdMembershipFactory(person=citizen, left_on=datetime.date(2012, 1, 1))
    HouseholdMembershipFactory(person=citizen, left_on=datetime.date(2015, 1, 1))
    HouseholdMembershipFactory(person=citizen)
    assert citizen.memberships.filter(left_on__isnull=True).count() == 1


def test_the_database_refuses_a_death_before_birth():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(birth_on=datetime.date(2000, 1, 1), died_on=datetime.date(1999, 1, 1))


def test_the_database_refuses_two_people_with_one_fin(citizen):
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(fin=citizen.fin)


def test_the_database_refuses_a_document_expiring_before_issue():
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityDocumentFactory(
            issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2019, 1, 1)
        )


def test_clean_normalises_the_fin_and_phone():
    person = PersonFactory.build(fin="5vbk5vr", verified_phone="050 123 45 67")
    person.full_clean()
    assert (person.fin, person.verified_phone) == ("5VBK5VR", "+994501234567")


def test_clean_refuses_a_fin_with_the_letter_o():
    person = PersonFactory.build(fin="5VBK5VO")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "fin" in error.value.message_dict


def test_clean_refuses_a_document_number_of_the_wrong_generation():
    document = IdentityDocumentFactory.build(generation="old_id_card", number="AA1234567")
    with pytest.raises(ValidationError) as error:
        document.full_clean(exclude=["person"])
    assert "generation" in error.value.message_dict
