from django.contrib import admin

from meis.centres.models import OpeningHours, ServiceCentre, SpecialRegime


class OpeningHoursInline(admin.TabularInline[OpeningHours, ServiceCentre]):
    model = OpeningHours
    extra = 0


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin[ServiceCentre]):
    list_display = ("code", "name_az", "name_en", "region", "address")
    list_filter = ("region",)
    search_fields = ("code", "name_az", "name_en", "name_ru")
    inlines = [OpeningHoursInline]


@admin.register(SpecialRegime)
class SpecialRegimeAdmin(admin.ModelAdmin[SpecialRegime]):
    list_display = ("centre", "starts_on", "ends_on", "is_appointment_only")
    list_filter = ("centre",)
    date_hierarchy = "starts_on"
