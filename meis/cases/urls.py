from django.urls import path

from meis.cases import views
from meis.cases.appeal_urls import urlpatterns as appeal_urlpatterns

app_name = "cases"
urlpatterns = [
    path("apply/<slug:code>/", views.apply_start, name="apply"),
    path("apply/<slug:code>/questions/", views.apply_questions, name="apply_questions"),
    path("apply/<slug:code>/documents/", views.apply_documents, name="apply_documents"),
    path("apply/<slug:code>/contact/", views.apply_contact, name="apply_contact"),
    path(
        "apply/<slug:code>/contact/code/", views.apply_contact_verify, name="apply_contact_verify"
    ),
    path("apply/<slug:code>/check/", views.apply_check, name="apply_check"),
    path("apply/<slug:code>/in-person/", views.apply_in_person, name="apply_in_person"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<str:reference>/", views.case_detail, name="case_detail"),
    path("applications/<str:reference>/confirmation/", views.confirmation, name="confirmation"),
    path(
        "applications/<str:reference>/withdraw/",
        views.case_withdraw_confirm,
        name="withdraw",
    ),
    path("documents/<str:public_id>/", views.document_download, name="document_download"),
    *appeal_urlpatterns,
]
