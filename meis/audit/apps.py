from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Audit trail (audit izi): who read or changed whose data, when, why and from where."""

    name = "meis.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from meis.audit.chain import audit_seal
        from meis.core.scheduler import job_register

        # Every minute: an event is open to an undetectable change for about that long.
        job_register(name="audit.seal", func=audit_seal, interval=timedelta(minutes=1))
