from django.contrib import admin

from meis.walkin.models import Counter, ServiceGroup


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin[ServiceGroup]):
    list_display = ("centre", "letter", "name_az", "is_active")
    list_filter = ("centre", "is_active")


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin[Counter]):
    list_display = ("centre", "number")
    list_filter = ("centre",)
    filter_horizontal = ("groups",)
