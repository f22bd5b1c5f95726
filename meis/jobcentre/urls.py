from django.urls import URLPattern, URLResolver, path

from meis.jobcentre import programme_views, views

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
    path(
        "backoffice/employment/people/<int:person_id>/missed-call/",
        views.officer_call_missed,
        name="officer_call_missed",
    ),
    path(
        "backoffice/employment/programmes/",
        programme_views.programme_list,
        name="programme_list",
    ),
    path(
        "backoffice/employment/programmes/<int:pk>/",
        programme_views.programme_project,
        name="programme_project",
    ),
    path("backoffice/employment/training/", programme_views.training_list, name="training_list"),
    path(
        "backoffice/employment/training/<int:pk>/",
        programme_views.training_course,
        name="training_course",
    ),
]
