from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Hesablar: sign-in for citizens, staff and employers; roles and the access funnel."""

    name = "meis.accounts"
    verbose_name = _("Accounts and access")

    def ready(self) -> None:
        from meis.accounts import signals  # noqa: F401 — connects the sign-in receivers
