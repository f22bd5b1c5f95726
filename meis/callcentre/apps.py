from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallcentreConfig(AppConfig):
    name = "meis.callcentre"
    label = "callcentre"
    verbose_name = _("Call centre 142")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meis.accounts.services import call_listener_register
        from meis.callcentre.services import CALL_LOG

        # Every identification of a caller, however the operator reached it, lands in the log.
        call_listener_register(CALL_LOG)
