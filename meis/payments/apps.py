from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "meis.payments"
    label = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The award letters (proactive, a lower layer) name the paying bank through this hook.
        from meis.payments.selectors import bank_branch_names
        from meis.proactive.services.letters import bank_branch_resolver_register

        bank_branch_resolver_register(bank_branch_names)
