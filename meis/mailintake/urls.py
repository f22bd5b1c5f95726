from django.urls import path

from meis.mailintake import views

app_name = "mailintake"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("<int:email_id>/", views.email_page, name="email"),
    path("<int:email_id>/file/", views.file_as_case, name="file"),
    path(
        "<int:email_id>/files/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
