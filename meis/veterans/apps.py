from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeteransConfig(AppConfig):
    name = "meis.veterans"
    verbose_name = _("Veterans' and martyrs' families' registers")
    default_auto_field = "django.db.models.BigAutoField"
