from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from meis.api.models import ApiCall, ApiClient, ApiClientEmployer, ApiCredential
from meis.api.tokens import tokens_forget_everywhere


class CredentialInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ApiCredential
    fields = ("key_id", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("key_id", "created_at")
    extra = 0
    can_delete = False


class EmployerInline(admin.TabularInline):  # type: ignore[type-arg]
    """The employers a payroll system notifies contracts for (scope employers:contracts)."""

    model = ApiClientEmployer
    fields = ("employer", "granted_at")
    readonly_fields = ("granted_at",)
    raw_id_fields = ("employer",)
    extra = 0


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Clients are registered with `meis api client-register` (it prints the secret once); here
    an administrator changes scopes, addresses and limits, deactivates, or revokes a key."""

    list_display = ("name", "institution", "is_active", "rate_limit_per_minute", "created_at")
    inlines = [CredentialInline, EmployerInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """After the client and its keys are saved: a deactivation, a narrower address list or
        a revoked key refuses the next call in every worker (meis.api.tokens)."""
        super().save_related(request, form, formsets, change)
        tokens_forget_everywhere()


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The clients' call log, for reading only: nobody edits or removes what a client did."""

    list_display = ("at", "client", "method", "operation", "status", "purpose", "client_address")
    list_filter = ("client", "status", "purpose")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
