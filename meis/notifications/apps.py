from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "meis.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from meis.core.scheduler import job_register
        from meis.notifications.services import outbox_sweep

        job_register(
            name="notifications.outbox_sweep",
            func=outbox_sweep,
            interval=timedelta(seconds=30),
        )
