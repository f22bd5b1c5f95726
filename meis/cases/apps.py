from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The case engine: one case model for every channel, documents, deadlines, timeline."""

    name = "meis.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from meis.accounts.access import person_grant_source_register
        from meis.cases.access import open_case_grant
        from meis.cases.services import cases_escalate_breached
        from meis.core.scheduler import job_register

        # An open case at a worker's centre opens the applicant's record to them.
        person_grant_source_register(open_case_grant)

        job_register(
            name="cases.escalate_breached",
            func=cases_escalate_breached,
            interval=timedelta(hours=1),
        )
