from django.urls import path

from meis.calculators import views

app_name = "calculators"
urlpatterns = [
    path("", views.index, name="index"),
    path("pension/", views.pension, name="pension"),
    path("targeted-assistance/", views.assistance, name="assistance"),
]
