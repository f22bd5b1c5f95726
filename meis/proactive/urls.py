from django.urls import path

from meis.proactive import views

app_name = "proactive"
urlpatterns = [
    path("", views.report, name="report"),
    path("<int:run_id>/approve/", views.approve, name="approve"),
]
