"""The audit trail search (language-prefixed, /<lang>/audit/events/; namespace `audit`)."""

from django.urls import path

from meis.backoffice import audit_views as views

app_name = "audit"
urlpatterns = [
    path("audit/events/", views.audit_event_search, name="search"),
]
