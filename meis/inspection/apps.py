from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "meis.inspection"
    verbose_name = _("Labour inspection")
    default_auto_field = "django.db.models.BigAutoField"
