from django.contrib import admin

from meis.workcalendar.models import CalendarDay, CentreClosure


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ["date", "kind", "is_working", "reason_en", "legal_basis"]
    list_filter = ["kind", "is_working"]
    date_hierarchy = "date"
    search_fields = ["reason_az", "reason_en", "reason_ru", "legal_basis"]
    readonly_fields = ["updated_at"]


@admin.register(CentreClosure)
class CentreClosureAdmin(admin.ModelAdmin[CentreClosure]):
    list_display = ["centre", "starts_on", "ends_on", "reason_en"]
    list_filter = ["centre"]
    date_hierarchy = "starts_on"
