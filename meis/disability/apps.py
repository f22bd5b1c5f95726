from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisabilityConfig(AppConfig):
    name = "meis.disability"
    verbose_name = _("Disability assessment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meis.core.scheduler import job_register
        from meis.disability.services import disability_daily

        # Hourly and idempotent: each reminder is sent once (`reminded_on`), each overdue
        # referral escalated once (`escalated_on`).
        job_register(name="disability.daily", func=disability_daily, interval=timedelta(hours=1))
