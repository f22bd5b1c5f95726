from django.urls import path

from meis.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/events/", views.audit_event_search, name="search"),
]
