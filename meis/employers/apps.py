from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "meis.employers"
    verbose_name = _("Employer pages")
    default_auto_field = "django.db.models.BigAutoField"
