"""Top-level URLs: language-prefixed pages, plus the language-neutral health check."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from meis.api.api import api
from meis.core import views as core_views

urlpatterns = [
    path("health/", core_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("callbacks/", include("meis.notifications.callback_urls")),
    path("", include("meis.certificates.short_urls")),
    path("", include("meis.stats.open_data_urls")),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("backoffice/messages/", include("meis.notifications.urls")),
    path("inbox/", include("meis.notifications.inbox_urls")),
    path("services/", include("meis.catalog.urls")),
    path("calculators/", include("meis.calculators.urls")),
    path("centres/", include("meis.centres.urls")),
    path("", include("meis.appointments.urls")),
    path("my/awards/", include("meis.awards.urls")),
    path("my/payments/", include("meis.payments.urls")),
    path("employer/", include("meis.employers.urls")),
    path("vacancies/", include("meis.employment.vacancy_urls")),
    path("", include("meis.inspection.urls")),
    path("", include("meis.jobcentre.urls")),
    path("", include("meis.disability.urls")),
    path("", include("meis.certificates.urls")),
    path("backoffice/proactive/", include("meis.proactive.urls")),
    path("backoffice/mail/", include("meis.mailintake.urls")),
    path("backoffice/walk-in/", include("meis.walkin.staff_urls")),
    path("backoffice/calls/", include("meis.callcentre.urls")),
    path("", include("meis.stats.urls")),
    path("queue/", include("meis.walkin.urls")),
    path("", include("meis.cases.urls")),
    path("backoffice/cases/", include("meis.backoffice.urls")),
    path("backoffice/awards/", include("meis.backoffice.award_urls")),
    path("backoffice/payroll/", include("meis.payments.staff_urls")),
    path("", include("meis.portal.urls")),
    prefix_default_language=True,
)
urlpatterns += i18n_patterns(
    path("", include("meis.accounts.urls")),
    path("", include("meis.backoffice.audit_urls")),
    prefix_default_language=True,
)
if settings.DEBUG or settings.MEIS_DEMO:  # the demo's mailbox: the outbox, codes included
    urlpatterns += i18n_patterns(
        path("dev/", include("meis.notifications.dev_urls")),
        prefix_default_language=True,
    )

# While the database is unreachable the error page is a 503 with a retry hint (meis.core.views).
handler500 = "meis.core.views.server_error"
