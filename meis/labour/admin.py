"""The contracts register in the admin.

The classifiers (occupations, termination grounds) are data the ministry keeps: editable here,
never deleted (a code out of use is marked so; contracts point at it). Contracts, their versions
and the uploads are the register itself: read-only, since every change is a notification that
goes through the services (validation, audit, messages). Representatives' bindings are granted
and revoked here through `representative_bind` / `representative_unbind`, so each is audited.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meis.accounts.admin_reads import PersonReadsAdmin
from meis.accounts.models import BindingGrantor, EmployerRepresentative
from meis.labour.models import (
    Contract,
    ContractVersion,
    NotificationBatch,
    Occupation,
    TerminationGround,
)
from meis.labour.services import representative_bind, representative_unbind


class _Classifier(admin.ModelAdmin[Any]):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Occupation)
class OccupationAdmin(_Classifier):
    list_display = ("code", "title_az", "title_en", "title_ru", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "title_az", "title_en", "title_ru")


@admin.register(TerminationGround)
class TerminationGroundAdmin(_Classifier):
    list_display = (
        "code",
        "article",
        "title_az",
        "initiated_by",
        "gives_unemployment_insurance",
        "is_active",
    )
    list_filter = ("initiated_by", "gives_unemployment_insurance", "is_active")
    search_fields = ("code", "article", "title_az", "title_en", "title_ru")


class _ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Contract)
class ContractAdmin(PersonReadsAdmin[Contract], _ReadOnly):
    list_display = ("id", "employer", "person", "position", "status", "start_on", "is_late")
    list_filter = ("status", "is_late", "is_main_job")
    search_fields = ("person__fin", "employer__voen", "employer__name")
    list_select_related = ("employer", "person")
    raw_id_fields = ("employer", "person")

    def persons_shown(self, objs: list[Contract]) -> list[tuple[int | None, Contract]]:
        return [(contract.person_id, contract) for contract in objs]


@admin.register(ContractVersion)
class ContractVersionAdmin(PersonReadsAdmin[ContractVersion], _ReadOnly):
    list_display = ("contract", "number", "notice", "effective_on", "registered_at", "assurance")
    list_filter = ("notice", "assurance", "is_late")
    search_fields = ("contract__person__fin", "contract__employer__voen")
    list_select_related = ("contract",)
    raw_id_fields = ("contract", "notified_by", "batch")

    def persons_shown(
        self, objs: list[ContractVersion]
    ) -> list[tuple[int | None, ContractVersion]]:
        return [(version.contract.person_id, version) for version in objs]


@admin.register(NotificationBatch)
class NotificationBatchAdmin(_ReadOnly):
    list_display = ("created_at", "employer", "file_name", "mode", "rows", "registered", "refused")
    list_filter = ("mode",)
    search_fields = ("employer__voen", "employer__name", "file_name")
    raw_id_fields = ("employer", "submitted_by")


class BindingForm(forms.ModelForm[EmployerRepresentative]):
    class Meta:
        model = EmployerRepresentative
        fields = ("person", "employer")


@admin.register(EmployerRepresentative)
class EmployerRepresentativeAdmin(PersonReadsAdmin[EmployerRepresentative]):
    """Bind a person (by id; find it by FİN in the registry) to an employer; revoke instead of
    deleting, so who acted for whom stays on record."""

    form = BindingForm
    list_display = ("person", "employer", "granted_as", "granted_at", "revoked_at")
    list_filter = ("granted_as",)
    search_fields = ("person__fin", "employer__voen", "employer__name")
    list_select_related = ("person", "employer")
    raw_id_fields = ("person", "employer")
    actions = ["revoke"]

    def persons_shown(
        self, objs: list[EmployerRepresentative]
    ) -> list[tuple[int | None, EmployerRepresentative]]:
        return [(binding.person_id, binding) for binding in objs]

    def get_readonly_fields(
        self, request: HttpRequest, obj: EmployerRepresentative | None = None
    ) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("person", "employer", "granted_by", "granted_as", "granted_at", "revoked_at")

    def get_fields(
        self, request: HttpRequest, obj: EmployerRepresentative | None = None
    ) -> tuple[str, ...]:
        if obj is None:
            return ("person", "employer")
        return self.get_readonly_fields(request, obj)

    def save_model(
        self, request: HttpRequest, obj: EmployerRepresentative, form: Any, change: bool
    ) -> None:
        if change:
            return
        binding = representative_bind(
            employer=obj.employer,
            person=obj.person,
            actor=request.user,
            granted_as=BindingGrantor.ADMINISTRATOR,
        )
        obj.pk = binding.pk
        obj.granted_by = binding.granted_by
        obj.granted_at = binding.granted_at

    def has_delete_permission(
        self, request: HttpRequest, obj: EmployerRepresentative | None = None
    ) -> bool:
        return False

    @admin.action(description=_("Revoke the selected bindings"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[EmployerRepresentative]) -> None:
        for binding in queryset.filter(revoked_at__isnull=True):
            representative_unbind(binding=binding, actor=request.user)
        messages.success(request, _("The bindings are revoked."))
