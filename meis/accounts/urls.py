from django.urls import path

from meis.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.citizen_sign_in, name="citizen_sign_in"),
    path("sign-in/code/", views.citizen_code, name="citizen_code"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("sign-out/everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("my/record/", views.my_record, name="my_record"),
    path("my/household/<int:person_id>/", views.household_member, name="household_member"),
    path("my/who-looked/", views.who_looked, name="who_looked"),
    path("staff/sign-in/", views.staff_sign_in, name="staff_sign_in"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/persons/<int:person_id>/", views.staff_person, name="staff_person"),
    path("staff/calls/new/", views.call_start, name="call_start"),
    path("staff/calls/end/", views.call_end, name="call_end"),
]
