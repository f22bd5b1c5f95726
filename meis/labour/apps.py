from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourConfig(AppConfig):
    name = "meis.labour"
    verbose_name = _("Employment contracts")
    default_auto_field = "django.db.models.BigAutoField"
