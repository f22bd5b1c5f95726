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
from django.utils.translation import gettext_lazy as _


class MeisAdminSite(admin.AdminSite):
    site_header = _("MEİS administration")
    site_title = _("MEİS administration")
    index_title = _("Catalogue, registry, calendars and roles")

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(super().has_permission(request) and user.is_verified())

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        query = urlencode({"next": target})
        return HttpResponseRedirect(f"{reverse('accounts:staff_sign_in')}?{query}")


class MeisAdminConfig(AdminConfig):
    default_site = "meis.accounts.admin_site.MeisAdminSite"
