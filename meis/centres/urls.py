from django.urls import path

from meis.centres import views

app_name = "centres"
urlpatterns = [
    path("", views.directory, name="directory"),
]
