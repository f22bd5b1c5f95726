# mypy: disable-error-code="attr-defined,type-arg,misc"
"""Factories for the accounts tests (registry rows are made here until the registry has its own)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from meis.accounts.models import ServiceCentreRegistration, StaffProfile
from meis.centres.models import ServiceCentre
from meis.core.identifiers import FIN_ALPHABET
from meis.registry.models import (
    DocumentStatus,
    Household,
    HouseholdMembership,
    IdentityDocument,
    Person,
    Region,
    Relation,
)

STAFF_PASSWORD = "correct horse battery staple"


def _fin(n: int) -> str:
    digits = []
    for _ in range(7):
        n, r = divmod(n, len(FIN_ALPHABET))
        digits.append(FIN_ALPHABET[r])
    return "".join(reversed(digits))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    fin = factory.Sequence(lambda n: _fin(10_000_000 + n))
    last_name = factory.Faker("last_name", locale="az_AZ")
    first_name = factory.Faker("first_name", locale="az_AZ")
    birth_on = datetime.date(1980, 5, 17)
    sex = "F"
    region = Region.BAKU
    address = factory.Faker("address", locale="az_AZ")
    verified_phone = factory.Sequence(lambda n: f"+99450{1000000 + n:07d}")
    verified_email = None


class IdentityDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityDocument

    person = factory.SubFactory(PersonFactory)
    generation = "biometric_id_card"
    number = factory.Sequence(lambda n: f"AA{1_000_000 + n:07d}")
    issued_on = datetime.date(2019, 1, 10)
    expires_on = datetime.date(2099, 1, 10)
    status = DocumentStatus.VALID


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    registry_id = factory.Sequence(lambda n: f"H{n:08d}")
    address = "Bakı, Nizami küçəsi 1"
    region = Region.BAKU


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMembership

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    relation = Relation.HEAD
    joined_on = datetime.date(2010, 1, 1)


def centre(code: str) -> ServiceCentre:
    return ServiceCentre.objects.get_or_create(
        code=code,
        defaults={"name_az": code, "name_en": code, "name_ru": code, "address": "Bakı"},
    )[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff-{n}")
    password = factory.PostGenerationMethodCall("set_password", STAFF_PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def staff_user(role: str, *, centre_code: str | None = None, subsystems=(), institution="DOST"):
    user = UserFactory(
        username=f"{role}-{centre_code or 'hq'}-{UserFactory._meta.model.objects.count()}"
    )
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    StaffProfile.objects.create(
        user=user,
        centre=centre(centre_code) if centre_code else None,
        subsystems=list(subsystems),
        institution=institution,
    )
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def registration(person, *, centre_code: str, subsystem: str = "targeted_assistance", **kwargs):
    return ServiceCentreRegistration.objects.create(
        person=person,
        centre=centre(centre_code),
        subsystem=subsystem,
        reference=f"R-{ServiceCentreRegistration.objects.count() + 1:06d}-{person.pk}",
        **kwargs,
    )
