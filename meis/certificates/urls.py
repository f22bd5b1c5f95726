from django.urls import path

from meis.certificates import period_views, views

app_name = "certificates"
urlpatterns = [
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/<slug:type_code>/period/", period_views.period_issue, name="period"),
    path("certificates/<int:certificate_id>/pdf/", views.my_certificate_pdf, name="pdf"),
    path("certificates/<int:certificate_id>/revoke/", views.my_certificate_revoke, name="revoke"),
    path("verify/", views.verify, name="verify"),
    path("verify/pdf/", views.verify_pdf, name="verify_pdf"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("backoffice/certificates/", views.staff_desk, name="staff_desk"),
]
