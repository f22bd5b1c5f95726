from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """Dövlət reyestrləri: persons, identity documents, households and employers."""

    name = "meis.registry"
    verbose_name = _("Registry")
