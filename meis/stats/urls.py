from django.urls import path

from meis.stats import views

app_name = "statistics"
urlpatterns = [
    path("statistics/", views.public, name="public"),
    path("statistics/open-data/", views.open_data, name="open_data"),
    path("backoffice/statistics/", views.dashboard, name="dashboard"),
]
