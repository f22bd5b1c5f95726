"""The bank directory is data: administrators add, rename or retire banks and branches here."""

from django.contrib import admin

from meis.payments.models import Bank, Branch


class BranchInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Branch
    extra = 0


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "bic", "iban_code", "is_code_verified", "is_active"]
    search_fields = ["name", "bic", "iban_code"]
    inlines = [BranchInline]
