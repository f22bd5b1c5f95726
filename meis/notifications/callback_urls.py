"""Machine-to-machine callbacks (not language-prefixed, under /callbacks/)."""

from django.urls import path

from meis.notifications import views

urlpatterns = [
    path("sms/", views.sms_delivery_receipt, name="sms_delivery_receipt"),
]
