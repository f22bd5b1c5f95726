from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProactiveConfig(AppConfig):
    name = "meis.proactive"
    verbose_name = _("Proactive assignment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meis.core.scheduler import job_register
        from meis.proactive.tasks import proactive_daily

        # Hourly and idempotent: the first tick of a day runs that day's incremental pipeline;
        # later ticks find it done (or resume it after a crash) and write nothing.
        job_register(name="proactive.daily", func=proactive_daily, interval=timedelta(hours=1))
