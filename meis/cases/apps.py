from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The case engine: one case model for every channel, documents, deadlines, timeline."""

    name = "meis.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from meis.cases.services import cases_escalate_breached
        from meis.core.scheduler import job_register

        job_register(
            name="cases.escalate_breached",
            func=cases_escalate_breached,
            interval=timedelta(hours=1),
        )
