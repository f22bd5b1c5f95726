from django.urls import URLPattern, URLResolver, path

from meis.disability import citizen_views, clinic_views, commission_views

app_name = "disability"
urlpatterns: list[URLPattern | URLResolver] = [
    # The person: their referrals and decisions; a re-examination or an appeal.
    path("my/disability/", citizen_views.mine, name="mine"),
    path("my/disability/request/", citizen_views.self_referral, name="self_referral"),
    # A medical institution's staff: refer a person, see the institution's referrals.
    path("clinic/referrals/", clinic_views.referral_list, name="clinic_list"),
    path("clinic/referrals/new/", clinic_views.referral_new, name="clinic_new"),
    # A commission's members: the pseudonymised worklist and a referral's work.
    path("commission/", commission_views.worklist, name="worklist"),
    path("commission/referrals/<str:pseudonym>/", commission_views.referral, name="referral"),
    path(
        "commission/referrals/<str:pseudonym>/decision/",
        commission_views.decision_edit,
        name="decision",
    ),
    path("commission/referrals/<str:pseudonym>/sign/", commission_views.sign, name="sign"),
    path("commission/referrals/<str:pseudonym>/extend/", commission_views.extend, name="extend"),
    path("commission/referrals/<str:pseudonym>/book/", commission_views.book, name="book"),
    path(
        "commission/referrals/<str:pseudonym>/identity/",
        commission_views.identity,
        name="identity",
    ),
]
