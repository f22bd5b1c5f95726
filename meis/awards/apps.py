from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "meis.awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meis.awards.tasks import awards_daily
        from meis.core.scheduler import job_register

        # Hourly and idempotent: the first tick of a day ends what is due and writes the
        # letters; later ticks find nothing left (or pick up a death recorded since).
        job_register(name="awards.daily", func=awards_daily, interval=timedelta(hours=1))
