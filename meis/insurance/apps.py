from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "meis.insurance"
    verbose_name = _("Social insurance")
    default_auto_field = "django.db.models.BigAutoField"
