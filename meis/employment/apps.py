from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "meis.employment"
    verbose_name = _("Employment service register")
    default_auto_field = "django.db.models.BigAutoField"
