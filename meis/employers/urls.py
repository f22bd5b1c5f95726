from django.urls import URLPattern, URLResolver, include, path

from meis.employers import vacancy_views, views

app_name = "employers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.employer_list, name="list"),
    path("<str:voen>/", views.employer_home, name="home"),
    path("<str:voen>/history/", views.employer_history, name="history"),
    path("<str:voen>/contracts/new/", views.contract_new, name="contract_new"),
    path("<str:voen>/contracts/<int:contract_id>/", views.contract_detail, name="contract"),
    path(
        "<str:voen>/contracts/<int:contract_id>/amend/",
        views.contract_amend_view,
        name="contract_amend",
    ),
    path(
        "<str:voen>/contracts/<int:contract_id>/suspend/",
        views.contract_suspend_view,
        name="contract_suspend",
    ),
    path(
        "<str:voen>/contracts/<int:contract_id>/resume/",
        views.contract_resume_view,
        name="contract_resume",
    ),
    path(
        "<str:voen>/contracts/<int:contract_id>/terminate/",
        views.contract_terminate_view,
        name="contract_terminate",
    ),
    path("<str:voen>/confirm/", views.confirm, name="confirm"),
    path("<str:voen>/confirm/cancel/", views.confirm_cancel, name="confirm_cancel"),
    path("<str:voen>/representatives/", views.representatives, name="representatives"),
    path(
        "<str:voen>/representatives/<int:binding_id>/revoke/",
        views.representative_revoke,
        name="representative_revoke",
    ),
    path("<str:voen>/upload/", include("meis.employers.upload_urls")),
    path("<str:voen>/vacancies/", vacancy_views.vacancy_list, name="vacancies"),
    path("<str:voen>/vacancies/new/", vacancy_views.vacancy_new, name="vacancy_new"),
    path("<str:voen>/vacancies/<int:vacancy_id>/", vacancy_views.vacancy_detail, name="vacancy"),
    path(
        "<str:voen>/vacancies/<int:vacancy_id>/withdraw/",
        vacancy_views.vacancy_withdraw_view,
        name="vacancy_withdraw",
    ),
    path(
        "<str:voen>/vacancies/<int:vacancy_id>/referrals/<int:referral_id>/",
        vacancy_views.referral_outcome,
        name="referral_outcome",
    ),
]
