from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "meis.employment"
    verbose_name = _("Employment service")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meis.core.scheduler import job_register
        from meis.employment.tasks import employment_daily

        # Hourly and idempotent: statuses end the day the register learns of a contract, and
        # vacancies past their closing date close; a second tick finds nothing to change.
        job_register(name="employment.daily", func=employment_daily, interval=timedelta(hours=1))
