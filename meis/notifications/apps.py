from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "meis.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from meis.accounts.access import citizen_count_register
        from meis.core.scheduler import job_register
        from meis.notifications.models import Template
        from meis.notifications.selectors import inbox_unread_subquery, template_cache_clear
        from meis.notifications.services import message_contents_redact, outbox_sweep

        job_register(
            name="notifications.outbox_sweep",
            func=outbox_sweep,
            interval=timedelta(seconds=30),
        )
        job_register(
            name="notifications.message_contents_redact",
            func=message_contents_redact,
            interval=timedelta(minutes=15),
        )
        citizen_count_register("inbox_unread", inbox_unread_subquery)
        # This process's template cache forgets a template as soon as a version is saved here;
        # other processes see it within NOTIFICATION_TEMPLATE_CACHE_SECONDS.
        post_save.connect(template_cache_clear, sender=Template)
        post_delete.connect(template_cache_clear, sender=Template)
