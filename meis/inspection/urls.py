from django.urls import URLPattern, URLResolver, path

from meis.inspection import views

app_name = "inspection"
urlpatterns: list[URLPattern | URLResolver] = [
    path("my/contracts/", views.my_contracts, name="my_contracts"),
    path(
        "my/contracts/<int:contract_id>/dispute/",
        views.my_contract_dispute,
        name="my_contract_dispute",
    ),
    path("backoffice/labour/", views.inspection_home, name="home"),
    path("backoffice/labour/disputes/<int:dispute_id>/", views.dispute_detail, name="dispute"),
    path("backoffice/labour/late/", views.late_report, name="late"),
    path("backoffice/labour/terminations/", views.terminations_report, name="terminations"),
    path("backoffice/labour/informal-work/", views.informal_work_report, name="informal"),
    path(
        "backoffice/labour/informal-work/<int:person_id>/",
        views.informal_work_person,
        name="informal_person",
    ),
]
