from django.urls import path

from meis.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:reference>/", views.case_page, name="case"),
]
