from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    """Növbə: appointments at DOST centres and pickups of documents."""

    name = "meis.appointments"
    verbose_name = _("Appointments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meis.appointments.tasks import appointments_hourly
        from meis.core.scheduler import job_register

        # Hourly and idempotent: opens pickups for new decisions, sends the day-before
        # reminders and the unclaimed-pickup reminders once each (dedupe keys in the outbox).
        job_register(
            name="appointments.hourly", func=appointments_hourly, interval=timedelta(hours=1)
        )
