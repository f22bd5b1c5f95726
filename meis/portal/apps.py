from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The citizen-facing pages (server-rendered, accessible)."""

    name = "meis.portal"
    verbose_name = _("Portal")
