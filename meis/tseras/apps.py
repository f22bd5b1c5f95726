from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TserasConfig(AppConfig):
    name = "meis.tseras"
    verbose_name = _("Disability assessment pages")
    default_auto_field = "django.db.models.BigAutoField"
