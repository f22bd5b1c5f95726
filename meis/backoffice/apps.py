from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """Staff pages: each role's home, queues per centre and subsystem, the case page, actions."""

    name = "meis.backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from meis.accounts.views import staff_page_register
        from meis.backoffice import home_views

        staff_page_register("home", home_views.staff_home)
        staff_page_register("caller", home_views.caller_page)
