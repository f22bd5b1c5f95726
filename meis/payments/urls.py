from django.urls import path

from meis.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.my_payments, name="mine"),
    path("confirm/", views.confirm_change, name="confirm"),
]
