from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from meis.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: auditors search the trail; nobody edits or deletes it."""

    list_display = ("occurred_at", "action", "actor", "actor_role", "person", "purpose")
    list_filter = ("action", "actor_role")
    search_fields = ("person__fin", "actor__username", "purpose", "object_id")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor", "person")
    raw_id_fields = ("actor", "person")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
