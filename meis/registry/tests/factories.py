# mypy: disable-error-code="attr-defined,type-arg"
# factory_boy types a factory call as the factory, not the model it makes.
"""Factories for registry rows (factory_boy + Faker az_AZ)."""

import datetime

import factory

from meis.core.identifiers import FIN_ALPHABET
from meis.registry.models import (
    DocumentStatus,
    Employer,
    Household,
    HouseholdMembership,
    IdentityDocument,
    LegalForm,
    Person,
    Region,
    Relation,
    Sex,
)

# Sequences start far from other apps' factories so rows made by both never collide.
_FIN_OFFSET = 30_000_000


def fin_for(n: int) -> str:
    """A structurally valid FİN for the integer n (base 34 over the FİN alphabet)."""
    chars = []
    for _ in range(7):
        n, r = divmod(n, len(FIN_ALPHABET))
        chars.append(FIN_ALPHABET[r])
    return "".join(reversed(chars))


def _az_name(kind: str) -> str:
    # factory_boy's shared az_AZ Faker, so seeding stays factory_boy's.
    return str(getattr(factory.Faker._get_faker(locale="az_AZ"), kind)()).strip()


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    fin = factory.Sequence(lambda n: fin_for(_FIN_OFFSET + n))
    sex = Sex.FEMALE
    # Faker's az_AZ lists hold a few names with a trailing space; a registry
    # extract never does.
    last_name = factory.LazyFunction(lambda: _az_name("last_name_female"))
    first_name = factory.LazyFunction(lambda: _az_name("first_name_female"))
    patronymic = factory.LazyFunction(lambda: "Əli qızı")
    birth_on = datetime.date(1985, 6, 15)
    region = Region.BAKU
    address = factory.Faker("street_address", locale="az_AZ")
    verified_phone = factory.Sequence(lambda n: f"+99455{2_000_000 + n:07d}")
    verified_email = None


class IdentityDocumentFactory(factory.django.DjangoModelFactory[IdentityDocument]):
    class Meta:
        model = IdentityDocument

    person = factory.SubFactory(PersonFactory)
    generation = "biometric_id_card"
    number = factory.Sequence(lambda n: f"AA{9_000_000 + n:07d}")
    issued_on = datetime.date(2019, 3, 1)
    expires_on = datetime.date(2029, 3, 1)
    status = DocumentStatus.VALID


class OldIdentityDocumentFactory(IdentityDocumentFactory):
    generation = "old_id_card"
    number = factory.Sequence(lambda n: f"AZE{90_000_000 + n:08d}")
    issued_on = datetime.date(2012, 5, 2)
    expires_on = datetime.date(2022, 5, 2)
    status = DocumentStatus.EXPIRED


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household

    registry_id = factory.Sequence(lambda n: f"HT{n:010d}")
    address = factory.Faker("street_address", locale="az_AZ")
    region = Region.BAKU


class HouseholdMembershipFactory(factory.django.DjangoModelFactory[HouseholdMembership]):
    class Meta:
        model = HouseholdMembership

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    relation = Relation.HEAD
    joined_on = datetime.date(2010, 1, 1)
    left_on = None


class EmployerFactory(factory.django.DjangoModelFactory[Employer]):
    class Meta:
        model = Employer

    voen = "1401555071"
    name = factory.Faker("company", locale="az_AZ")
    legal_form = LegalForm.LLC
    region = Region.BAKU
