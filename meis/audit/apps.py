from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Audit trail (audit izi): who read or changed whose data, when, why and from where."""

    name = "meis.audit"
    verbose_name = _("Audit trail")
