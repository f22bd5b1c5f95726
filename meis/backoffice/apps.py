from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """Staff pages for case work: queues per centre and subsystem, the case page, actions."""

    name = "meis.backoffice"
    verbose_name = _("Back office")
