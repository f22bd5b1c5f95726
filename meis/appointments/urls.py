from django.urls import path

from meis.appointments import views

app_name = "appointments"
urlpatterns = [
    path("appointments/", views.mine, name="mine"),
    path("appointments/book/", views.book, name="book"),
    path("appointments/pickup/<int:pickup_id>/", views.pickup_book, name="pickup_book"),
    path("appointments/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    path("appointments/<uuid:public_id>/reschedule/", views.reschedule, name="reschedule"),
    path("backoffice/appointments/", views.day_list, name="day_list"),
    path(
        "backoffice/appointments/<uuid:public_id>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("backoffice/appointments/pickups/<int:pickup_id>/", views.handover, name="handover"),
    path("backoffice/appointments/call/<int:person_id>/", views.call_book, name="call_book"),
]
