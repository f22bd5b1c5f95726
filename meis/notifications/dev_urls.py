"""The development mailbox (language-prefixed, /<lang>/dev/messages/), routed only in the demo."""

from django.urls import path

from meis.notifications import views

app_name = "dev"
urlpatterns = [
    path("messages/", views.dev_messages, name="messages"),
]
