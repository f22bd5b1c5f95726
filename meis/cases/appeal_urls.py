"""The appeal pages' addresses, included in `meis.cases.urls` (namespace "cases")."""

from django.urls import path

from meis.cases import appeal_views

urlpatterns = [
    path("applications/<str:reference>/appeal/", appeal_views.appeal, name="appeal"),
    path(
        "applications/<str:reference>/appeal/lodged/",
        appeal_views.appeal_lodged,
        name="appeal_lodged",
    ),
]
