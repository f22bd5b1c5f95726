from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "meis.payments"
    label = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The payment certificate: a type the certificates app may not define itself.
        from meis.payments.certificate import register

        register()
        # The award letters (proactive, a lower layer) name the paying bank through this hook.
        from meis.payments.selectors import bank_branch_names
        from meis.proactive.services.letters import bank_branch_resolver_register

        bank_branch_resolver_register(bank_branch_names)
        # Cards for recipients still without an account after the grace period; idempotent.
        from meis.core.scheduler import job_register
        from meis.payments.tasks import cards_daily

        job_register(name="payments.cards_daily", func=cards_daily, interval=timedelta(hours=6))
