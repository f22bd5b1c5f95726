from django.urls import path

from meis.backoffice import home_views, views

app_name = "backoffice"
urlpatterns = [
    path("", views.queue, name="queue"),
    # Before the case page: "search" is no case reference (those are MEIS-YYYY-NNNNNNN).
    path("search/", home_views.case_search, name="search"),
    path("<str:reference>/", views.case_page, name="case"),
]
