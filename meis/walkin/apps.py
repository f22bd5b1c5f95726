from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalkinConfig(AppConfig):
    name = "meis.walkin"
    label = "walkin"
    verbose_name = _("Walk-in queue")
    default_auto_field = "django.db.models.BigAutoField"
