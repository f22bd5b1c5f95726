"""The open-data files at stable, language-neutral addresses (opendata.py)."""

from django.urls import path

from meis.stats import views

urlpatterns = [
    path("open-data/datapackage.json", views.datapackage, name="open_data_package"),
    path(
        "open-data/usage-<int:year>.<str:fmt>",
        views.open_data_file,
        name="open_data_file",
    ),
]
