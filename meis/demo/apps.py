from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The whole-system demo: people, staff accounts, catalogue and a proactive run."""

    name = "meis.demo"
    verbose_name = _("Demo")
