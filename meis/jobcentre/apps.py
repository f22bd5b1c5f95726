from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobcentreConfig(AppConfig):
    name = "meis.jobcentre"
    verbose_name = _("Employment centre")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meis.accounts.access import person_grant_source_register
        from meis.core.scheduler import job_register
        from meis.jobcentre.access import job_seeker_grant
        from meis.jobcentre.programmes import programme_grant
        from meis.jobcentre.tasks import employment_daily

        person_grant_source_register(job_seeker_grant)
        # A programme's participant stays readable after their registration ends (follow-ups).
        person_grant_source_register(programme_grant)
        # Hourly and idempotent: statuses end the day the register learns of a contract, and
        # vacancies past their closing date close; a second tick finds nothing to change.
        job_register(name="employment.daily", func=employment_daily, interval=timedelta(hours=1))
