from django.contrib import admin

from meis.api.models import ApiClient, ApiCredential


class CredentialInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ApiCredential
    fields = ("key_id", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("key_id", "created_at")
    extra = 0
    can_delete = False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Clients are registered with `meis api client-register` (it prints the secret once); here
    an administrator changes scopes, addresses and limits, deactivates, or revokes a key."""

    list_display = ("name", "institution", "is_active", "rate_limit_per_minute", "created_at")
    inlines = [CredentialInline]
