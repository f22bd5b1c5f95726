from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisabilityConfig(AppConfig):
    name = "meis.disability"
    verbose_name = _("Disability assessment")
    default_auto_field = "django.db.models.BigAutoField"
