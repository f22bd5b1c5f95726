from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsageConfig(AppConfig):
    """Usage events of every channel and their daily rollups, for the statistics."""

    name = "meis.usage"
    verbose_name = _("Usage statistics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meis.core.scheduler import job_register
        from meis.usage.services import rollup_refresh

        # Every five minutes: the days that received events since the last refresh (and today
        # and yesterday, for transactions that committed late) are summed again.
        job_register(name="usage.rollup", func=rollup_refresh, interval=timedelta(minutes=5))
