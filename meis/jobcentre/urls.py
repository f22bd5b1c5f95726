from django.urls import URLPattern, URLResolver, path

from meis.jobcentre import views

app_name = "jobcentre"
urlpatterns: list[URLPattern | URLResolver] = [
    path("my/employment/", views.my_employment, name="mine"),
    path("my/employment/register/", views.register, name="register"),
    path("my/employment/profile/", views.profile_edit, name="profile"),
    path("my/employment/pause/", views.pause, name="pause"),
    path("my/employment/resume/", views.resume, name="resume"),
    path("my/employment/cancel/", views.cancel, name="cancel"),
    path("backoffice/employment/", views.officer_home, name="officer_home"),
    path(
        "backoffice/employment/people/<int:person_id>/",
        views.officer_person,
        name="officer_person",
    ),
]
