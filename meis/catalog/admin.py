"""Administrators edit the catalogue here; every saved change becomes a new, frozen version."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from meis.catalog.models import EService, EServiceVersion, LifeSituation
from meis.catalog.services import eservice_version_record


class EServiceVersionInline(admin.TabularInline[EServiceVersion, EService]):
    model = EServiceVersion
    fields = ["number", "created_at", "created_by", "definition"]
    readonly_fields = ["number", "created_at", "created_by", "definition"]
    extra = 0
    can_delete = False
    ordering = ["-number"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EService)
class EServiceAdmin(admin.ModelAdmin[EService]):
    list_display = [
        "code",
        "name_en",
        "subsystem",
        "is_instant",
        "channel",
        "decision_working_days",
        "is_active",
    ]
    list_filter = ["subsystem", "is_instant", "channel", "is_active", "for_employers"]
    search_fields = ["code", "name_az", "name_en", "name_ru"]
    filter_horizontal = ["life_situations"]
    readonly_fields = ["updated_at"]
    inlines = [EServiceVersionInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cases refer to its versions; deactivate instead

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm[EService],
        formsets: list[BaseInlineFormSet[Any, Any, Any]],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        # After the life situations are saved, in the admin's transaction.
        eservice_version_record(service=form.instance, actor=request.user)


@admin.register(EServiceVersion)
class EServiceVersionAdmin(admin.ModelAdmin[EServiceVersion]):
    list_display = ["service", "number", "created_at", "created_by"]
    list_filter = ["service__subsystem"]
    search_fields = ["service__code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LifeSituation)
class LifeSituationAdmin(admin.ModelAdmin[LifeSituation]):
    list_display = ["code", "name_en", "name_az"]
    search_fields = ["code", "name_az", "name_en", "name_ru"]
