from django.urls import path

from meis.walkin import views

app_name = "walkin_staff"
urlpatterns = [
    path("", views.counters, name="counters"),
    path("<int:counter_id>/", views.counter_page, name="counter"),
]
