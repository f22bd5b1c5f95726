from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared kernel: identifiers, base models, health, background heartbeat."""

    name = "meis.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from meis.core import checks  # noqa: F401 — registers the deployment checks
