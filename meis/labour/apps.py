from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourConfig(AppConfig):
    name = "meis.labour"
    verbose_name = _("Employment contracts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meis.core.scheduler import job_register
        from meis.labour.tasks import labour_monthly

        # Hourly and idempotent: from the 16th (contributions are due by the 15th of the next
        # month) the first tick accrues the month before; later ticks find it done.
        job_register(name="labour.monthly", func=labour_monthly, interval=timedelta(hours=1))
