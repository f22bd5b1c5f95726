"""Service centres (DOST mərkəzləri): where citizens are received and where staff work."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ServiceCentre(models.Model):
    """DOST mərkəzi: a service centre, named in the three languages of the portal."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    address = models.CharField(_("address"), max_length=255)

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Azerbaijani when the language has no name)."""
        language = (get_language() or "az")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_az)
