from django.contrib import admin

from meis.callcentre.models import CallTopic


@admin.register(CallTopic)
class CallTopicAdmin(admin.ModelAdmin[CallTopic]):
    """The call centre keeps its list of topics here; calls and call backs are not edited."""

    list_display = ("position", "code", "name_az", "name_en", "name_ru", "is_active")
    list_display_links = ("code",)
    list_filter = ("is_active",)
