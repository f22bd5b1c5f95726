"""The bulk upload's pages, under /<lang>/employer/<voen>/upload/ (names in `employers:`)."""

from django.urls import URLPattern, URLResolver, path

from meis.employers import upload_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", upload_views.upload, name="upload"),
    path("confirm/", upload_views.upload_confirm, name="upload_confirm"),
    path("template.<str:kind>", upload_views.upload_template, name="upload_template"),
    path("<int:batch_id>/", upload_views.upload_result, name="upload_result"),
    path("<int:batch_id>/errors.csv", upload_views.upload_report, name="upload_report"),
]
