from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    """DOST mərkəzləri: the service centres where citizens are received."""

    name = "meis.centres"
    verbose_name = _("Service centres")
