"""The Django admin behind the same door as every staff page: password plus TOTP.

Administrators edit the catalogue, parameters, calendars and roles in the admin, and it shows
personal data, so a password alone must not open it. Sign-in goes through the staff sign-in page
(password + TOTP, lock-out by django-axes); the admin only checks that the session is verified.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The libraries' own apps and models, named for the people who use the admin: the libraries
# give them English names ("Otp_Totp", "Access attempts") that no catalogue of ours translates.
LIBRARY_NAMES: dict[str, tuple[Promise, dict[str, Promise]]] = {
    "otp_totp": (
        _("Authenticator apps"),
        {"totpdevice": _("Authenticator app devices (TOTP)")},
    ),
    "otp_static": (
        _("Backup codes"),
        {"staticdevice": _("Backup code devices"), "statictoken": _("Backup codes")},
    ),
    "axes": (
        _("Sign-in lock-out"),
        {
            "accessattempt": _("Failed sign-in attempts"),
            "accesslog": _("Sign-ins"),
            "accessfailurelog": _("Failed sign-ins"),
            "accessattemptexpiration": _("Lock-out expiries"),
        },
    ),
    "django_tasks_database": (_("Background tasks"), {"dbtaskresult": _("Task results")}),
}


class MeisAdminSite(admin.AdminSite):
    site_header = _("MEİS administration")
    site_title = _("MEİS administration")
    index_title = _("Catalogue, registry, calendars and roles")

    def get_app_list(
        self, request: HttpRequest, app_label: str | None = None
    ) -> list[dict[str, Any]]:
        """The apps and models, the libraries' ones under names of ours (`LIBRARY_NAMES`)."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            name, models = LIBRARY_NAMES.get(app["app_label"], (None, {}))
            if name is not None:
                app["name"] = name
            for model in app["models"]:
                model["name"] = models.get(model["object_name"].lower(), model["name"])
        return app_list

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(super().has_permission(request) and user.is_verified())

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        query = urlencode({"next": target})
        return HttpResponseRedirect(f"{reverse('accounts:staff_sign_in')}?{query}")


class MeisAdminConfig(AdminConfig):
    default_site = "meis.accounts.admin_site.MeisAdminSite"
