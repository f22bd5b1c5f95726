from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """The e-services catalogue: every service of every subsystem as versioned data."""

    name = "meis.catalog"
    verbose_name = _("E-services catalogue")
