from django.contrib import admin

from meis.centres.models import ServiceCentre


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin[ServiceCentre]):
    list_display = ("code", "name_az", "name_en", "address")
    search_fields = ("code", "name_az", "name_en", "name_ru")
