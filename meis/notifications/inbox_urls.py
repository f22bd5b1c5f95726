"""The citizen's inbox (language-prefixed, under /<lang>/inbox/)."""

from django.urls import path

from meis.notifications import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<uuid:public_id>/", views.inbox_message, name="message"),
    path("files/<uuid:public_id>/", views.inbox_attachment, name="attachment"),
]
