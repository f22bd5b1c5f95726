"""The catalogue: e-services as data, and the frozen versions cases are filed under."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from meis.catalog.definitions import (
    CHANNEL_CERTIFICATE,
    CHANNEL_IN_PERSON,
    CHANNEL_ONLINE,
    SUBSYSTEM_CODES,
    text_in,
)
from meis.catalog.handlers import HandlerError, handler_resolve
from meis.catalog.subsystems import SUBSYSTEMS

SUBSYSTEM_CHOICES = [(s.slug, s.title) for s in SUBSYSTEMS]
assert tuple(code for code, _label in SUBSYSTEM_CHOICES) == SUBSYSTEM_CODES  # noqa: S101


def validate_handler_path(path: str) -> None:
    try:
        handler_resolve(path)
    except HandlerError as error:
        raise ValidationError(str(error), code="handler") from None


class ApplyChannel(models.TextChoices):
    """How a person applies (definitions.CHANNELS): what the catalogue offers instead of a dead end."""

    ONLINE = CHANNEL_ONLINE, _("Online, through the apply pages")
    CERTIFICATE = CHANNEL_CERTIFICATE, _("Online, issued at once on the certificates page")
    IN_PERSON = CHANNEL_IN_PERSON, _("In person at a DOST service centre, or by calling 142")


class Translated(models.Model):
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """The name in the active language (Azerbaijani when missing)."""
        return text_in({"az": self.name_az, "en": self.name_en, "ru": self.name_ru})


class LifeSituation(Translated):
    """Həyat vəziyyəti: a life event citizens browse by (a child is born, losing a job…)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class EService(Translated):
    """Elektron xidmət: one e-service — who may use it, its form, documents, deadline, handler.

    The editable current state. Every saved change becomes a new `EServiceVersion`
    (`services.eservice_version_record`); cases keep the version they were filed under.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    subsystem = models.CharField(_("subsystem"), max_length=32, choices=SUBSYSTEM_CHOICES)
    description_az = models.TextField(_("description (Azerbaijani)"))
    description_en = models.TextField(_("description (English)"))
    description_ru = models.TextField(_("description (Russian)"))
    life_situations = models.ManyToManyField(
        LifeSituation, verbose_name=_("life situations"), related_name="services", blank=True
    )
    for_citizens = models.BooleanField(_("citizens apply"), default=True)
    for_employers = models.BooleanField(_("employers apply"), default=False)
    for_staff_on_behalf = models.BooleanField(_("staff file on a citizen's behalf"), default=True)
    is_instant = models.BooleanField(_("instant (decided by the system at once)"), default=False)
    decision_working_days = models.PositiveSmallIntegerField(
        _("legal decision deadline (working days)"), null=True, blank=True
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    handler = models.CharField(
        _("handler"),
        max_length=255,
        validators=[validate_handler_path],
        help_text=_("Dotted path of the handler, e.g. meis.catalog.handlers.manual_review"),
    )
    form_fields = models.JSONField(_("form fields"), default=list, blank=True)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    channel = models.CharField(
        _("how to apply"), max_length=16, choices=ApplyChannel.choices, default=ApplyChannel.ONLINE
    )
    channel_note_az = models.TextField(_("how to apply: note (Azerbaijani)"), blank=True)
    channel_note_en = models.TextField(_("how to apply: note (English)"), blank=True)
    channel_note_ru = models.TextField(_("how to apply: note (Russian)"), blank=True)
    one_at_a_time = models.CharField(
        _("one application at a time"),
        max_length=16,
        blank=True,
        choices=[("person", _("per person")), ("household", _("per household"))],
        help_text=_(
            "Whose open application refuses a new one for this service; empty: a second "
            "application is only warned about."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("e-service")
        verbose_name_plural = _("e-services")
        ordering = ["subsystem", "code"]
        indexes = [models.Index(fields=["subsystem", "is_active"], name="eservice_subsystem")]
        constraints = [
            models.CheckConstraint(
                name="eservice_deadline_unless_instant",
                condition=models.Q(is_instant=True, decision_working_days__isnull=True)
                | models.Q(is_instant=False, decision_working_days__gte=1),
                violation_error_message=_(
                    "An instant service has no decision deadline; every other service needs one."
                ),
            ),
            models.CheckConstraint(
                name="eservice_channel_fits_instant",
                condition=models.Q(channel=CHANNEL_IN_PERSON)
                | models.Q(channel=CHANNEL_ONLINE, is_instant=False)
                | models.Q(channel=CHANNEL_CERTIFICATE, is_instant=True),
                violation_error_message=_(
                    "Online applications are for services decided by a person; a certificate "
                    "is instant."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        from meis.catalog.definitions import DefinitionError, service_definition_parse
        from meis.catalog.services import eservice_definition

        try:
            service_definition_parse(
                eservice_definition(self, life_situations=[]), where=self.code or "service"
            )
        except DefinitionError as error:
            raise ValidationError(str(error)) from None

    @property
    def description(self) -> str:
        return text_in(
            {"az": self.description_az, "en": self.description_en, "ru": self.description_ru}
        )

    @property
    def channel_note(self) -> str:
        """What is particular about applying for this service, in the active language."""
        return text_in(
            {"az": self.channel_note_az, "en": self.channel_note_en, "ru": self.channel_note_ru}
        )

    @property
    def is_online(self) -> bool:
        return self.channel == ApplyChannel.ONLINE

    @property
    def subsystem_title(self) -> str:
        return str(dict(SUBSYSTEM_CHOICES).get(self.subsystem, self.subsystem))


class EServiceVersion(models.Model):
    """Xidmətin versiyası: the definition of a service as it was at one moment; never changed.

    `definition` is the canonical dict of `definitions.ServiceDefinition.as_dict()` — the same
    shape as one entry of the catalogue YAML.
    """

    service = models.ForeignKey(
        EService, verbose_name=_("e-service"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("e-service version")
        verbose_name_plural = _("e-service versions")
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="eserviceversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("An e-service version is frozen once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError("An e-service version is never deleted: cases refer to it.")
