from django.urls import path

from meis.walkin import views

app_name = "walkin"
urlpatterns = [
    path("<slug:centre_code>/", views.kiosk, name="kiosk"),
    path("<slug:centre_code>/tickets/<int:ticket_id>/", views.ticket_page, name="ticket"),
    path("<slug:centre_code>/display/", views.display, name="display"),
    path("<slug:centre_code>/display/now/", views.display_now, name="display_now"),
]
