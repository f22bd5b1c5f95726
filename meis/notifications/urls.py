"""Staff pages (language-prefixed, under /<lang>/backoffice/messages/)."""

from django.urls import path

from meis.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.staff_message_list, name="staff_message_list"),
    path("<uuid:public_id>/resend/", views.staff_message_resend, name="staff_message_resend"),
]
