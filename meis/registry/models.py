"""The state registries MEİS reads: persons, identity documents, households and employers.

Identifiers are stored in their canonical form (`meis.core.identifiers.normalize_*`); every
look-up normalises its input first, so an index always answers it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meis.core.identifiers import (
    DocumentGeneration,
    InvalidIdentifier,
    normalize_document_number,
    normalize_fin,
    normalize_mobile_phone,
    normalize_voen,
)


class Region(models.TextChoices):
    """İqtisadi rayon: the 14 economic regions of Azerbaijan (decree of 7 July 2021)."""

    BAKU = "baku", _("Baku")
    ABSHERON_KHIZI = "absheron_khizi", _("Absheron-Khizi")
    NAKHCHIVAN = "nakhchivan", _("Nakhchivan")
    GANJA_DASHKASAN = "ganja_dashkasan", _("Ganja-Dashkasan")
    GAZAKH_TOVUZ = "gazakh_tovuz", _("Gazakh-Tovuz")
    SHEKI_ZAGATALA = "sheki_zagatala", _("Sheki-Zagatala")
    LANKARAN_ASTARA = "lankaran_astara", _("Lankaran-Astara")
    GUBA_KHACHMAZ = "guba_khachmaz", _("Guba-Khachmaz")
    CENTRAL_ARAN = "central_aran", _("Central Aran")
    MIL_MUGAN = "mil_mugan", _("Mil-Mugan")
    SHIRVAN_SALYAN = "shirvan_salyan", _("Shirvan-Salyan")
    MOUNTAINOUS_SHIRVAN = "mountainous_shirvan", _("Mountainous Shirvan")
    KARABAKH = "karabakh", _("Karabakh")
    EAST_ZANGEZUR = "east_zangezur", _("East Zangezur")


class Sex(models.TextChoices):
    """Cins."""

    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Language(models.TextChoices):
    """Ünsiyyət dili: the language a person wants letters and messages in."""

    AZERBAIJANI = "az", _("Azerbaijani")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")


class Person(models.Model):
    """Şəxs: a natural person in the population register, keyed by FİN."""

    fin = models.CharField(_("FİN"), max_length=7)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_on = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    died_on = models.DateField(_("date of death"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    address = models.CharField(_("address"), max_length=255)
    # NULL, not "", means "no verified contact": nothing to send to, nothing to match on.
    verified_phone = models.CharField(  # noqa: DJ001
        _("verified mobile phone"), max_length=16, null=True, blank=True
    )
    verified_email = models.EmailField(_("verified e-mail"), null=True, blank=True)  # noqa: DJ001
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.AZERBAIJANI,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            # Pension-age cohorts: "men born between D1 and D2" is a range scan on this index.
            models.Index(fields=["birth_on", "sex"], name="registry_person_birth_sex"),
        ]
        constraints = [
            # A UniqueConstraint rather than unique=True: on PostgreSQL the latter adds a second
            # (varchar_pattern_ops) index for LIKE queries that identifiers never need.
            models.UniqueConstraint(fields=["fin"], name="registry_person_fin_unique"),
            models.CheckConstraint(
                condition=Q(died_on__isnull=True) | Q(died_on__gte=F("birth_on")),
                name="registry_person_died_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=Sex.values), name="registry_person_sex_valid"
            ),
            models.CheckConstraint(
                condition=Q(preferred_language__in=Language.values),
                name="registry_person_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.fin})"

    @property
    def full_name(self) -> str:
        # Registry extracts and generated names can carry stray spaces; a name is
        # shown and compared as its words joined by single spaces.
        parts = (self.last_name, self.first_name, self.patronymic)
        return " ".join(" ".join(p.split()) for p in parts if p and p.strip())

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        self.fin = _normalized(normalize_fin, self.fin, "fin", errors)
        if self.verified_phone:
            self.verified_phone = _normalized(
                normalize_mobile_phone, self.verified_phone, "verified_phone", errors
            )
        if self.died_on and self.birth_on and self.died_on < self.birth_on:
            errors["died_on"] = _("The date of death cannot be before the date of birth.")
        if errors:
            raise ValidationError(errors)


class DocumentStatus(models.TextChoices):
    """Sənədin statusu."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    LOST = "lost", _("Lost")
    REPLACED = "replaced", _("Replaced")


class IdentityDocument(models.Model):
    """Şəxsiyyət vəsiqəsi: an identity card of either generation.

    Valid 10 years; a card issued at 55 or later has no expiry date (docs/domain.md §1).
    """

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="documents", verbose_name=_("person")
    )
    generation = models.CharField(
        _("generation"), max_length=20, choices=DocumentGeneration.choices
    )
    number = models.CharField(_("number"), max_length=12)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.VALID
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        ordering = ["-issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="registry_document_number_unique"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="registry_document_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values),
                name="registry_document_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(generation__in=DocumentGeneration.values),
                name="registry_document_generation_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            parsed = normalize_document_number(self.number)
        except InvalidIdentifier as error:
            errors["number"] = error
        else:
            self.number = parsed.number
            if self.generation and self.generation != parsed.generation:
                errors["generation"] = _("This number belongs to the other card generation.")
            self.generation = parsed.generation
        if self.expires_on and self.issued_on and self.expires_on <= self.issued_on:
            errors["expires_on"] = _("A document must expire after the day it was issued.")
        if errors:
            raise ValidationError(errors)


class Household(models.Model):
    """Ailə (təsərrüfat): people who live together at one address and share a budget."""

    registry_id = models.CharField(_("registry number"), max_length=16)
    address = models.CharField(_("address"), max_length=255)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["registry_id"]
        constraints = [
            models.UniqueConstraint(fields=["registry_id"], name="registry_household_id_unique"),
        ]

    def __str__(self) -> str:
        return self.registry_id


class Relation(models.TextChoices):
    """Ailə başçısına münasibət: relation to the head of the household."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER = "other", _("Other relative")


class HouseholdMembership(models.Model):
    """Ailə üzvlüyü: a person's membership of a household over a period."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("household")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    relation = models.CharField(_("relation to head"), max_length=12, choices=Relation.choices)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("household membership")
        verbose_name_plural = _("household memberships")
        ordering = ["household_id", "joined_on", "id"]
        indexes = [
            models.Index(fields=["household", "left_on"], name="registry_membership_household"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(left_on__isnull=True),
                name="registry_membership_one_current_household",
                violation_error_message=_("This person already belongs to a current household."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="registry_membership_left_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=Relation.values),
                name="registry_membership_relation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.person_id} ({self.relation})"


class LegalForm(models.TextChoices):
    """Təşkilati-hüquqi forma."""

    LLC = "llc", _("Limited liability company (MMC)")
    OJSC = "ojsc", _("Open joint-stock company (ASC)")
    CJSC = "cjsc", _("Closed joint-stock company (QSC)")
    STATE = "state", _("State body or enterprise")
    PUBLIC_LEGAL_ENTITY = "public_legal_entity", _("Public legal entity (PHŞ)")
    NON_PROFIT = "non_profit", _("Non-governmental organisation")
    SOLE_PROPRIETOR = "sole_proprietor", _("Sole proprietor (fərdi sahibkar)")


class EmployerSector(models.TextChoices):
    """The sector decides the social-insurance formula (docs/domain.md §7): the reduced rates of
    2019–2025 apply to non-oil, non-state employers only."""

    STATE = "state", _("State sector")
    OIL = "oil", _("Oil and gas sector")
    NON_OIL_PRIVATE = "non_oil_private", _("Non-oil private sector")


class Employer(models.Model):
    """İşəgötürən: an employer, keyed by its taxpayer number (VÖEN)."""

    voen = models.CharField(_("VÖEN"), max_length=10)
    # Sığortaedənin uçot nömrəsi: the employer's number as an insurer in the social-insurance
    # register (digits; its exact length is not in docs/domain.md, so only digits are checked).
    sun = models.CharField(_("SUN (social-insurance number)"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=255)
    legal_form = models.CharField(_("legal form"), max_length=24, choices=LegalForm.choices)
    sector = models.CharField(
        _("sector"),
        max_length=16,
        choices=EmployerSector.choices,
        default=EmployerSector.NON_OIL_PRIVATE,
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    address = models.CharField(_("legal address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail for notices"), blank=True)
    # The head (rəhbər) as the tax register records it: may bind representatives himself.
    head = models.ForeignKey(
        "Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employers_headed",
        verbose_name=_("head"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["voen"], name="registry_employer_voen_unique"),
            models.CheckConstraint(
                condition=Q(legal_form__in=LegalForm.values), name="registry_employer_form_valid"
            ),
            models.CheckConstraint(
                condition=Q(sector__in=EmployerSector.values), name="registry_employer_sector_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.voen})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        self.voen = _normalized(normalize_voen, self.voen, "voen", errors)
        if self.sun and not self.sun.isdigit():
            errors["sun"] = _("A SUN has digits only.")
        if errors:
            raise ValidationError(errors)


def _normalized(normalize: Any, value: str, field: str, errors: dict[str, Any]) -> str:
    """`normalize(value)`, or `value` unchanged with the error recorded under `field`."""
    try:
        return str(normalize(value))
    except InvalidIdentifier as error:
        errors[field] = error
        return value
