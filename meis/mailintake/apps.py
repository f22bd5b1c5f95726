from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailIntakeConfig(AppConfig):
    name = "meis.mailintake"
    label = "mailintake"
    verbose_name = _("E-mail intake")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meis.core.scheduler import job_register
        from meis.mailintake.services import mailboxes_read_all

        # Idempotent by Message-ID: two schedulers reading at once never make a second draft.
        job_register(name="mailintake.read", func=mailboxes_read_all, interval=timedelta(minutes=1))
