from django.urls import path

from meis.awards import views

app_name = "awards"
urlpatterns = [
    path("", views.my_awards, name="my_awards"),
    path("<int:award_id>/", views.my_award, name="my_award"),
]
