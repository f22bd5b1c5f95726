"""The staff page of one award (language-prefixed, /<lang>/backoffice/awards/<id>/)."""

from django.urls import path

from meis.backoffice import award_views

app_name = "awards_desk"
urlpatterns = [
    path("<int:award_id>/", award_views.award_page, name="award"),
]
