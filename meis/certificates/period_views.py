"""The citizen's page for a certificate over a chosen period (payments received): choose the
months, get the signed PDF. The type is one registered with a period (`period_facts`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from meis.accounts.access import citizen_person
from meis.accounts.decorators import citizen_required
from meis.cases.models import Channel
from meis.certificates import services
from meis.certificates.definitions import BY_CODE
from meis.certificates.forms import PeriodIssueForm
from meis.certificates.views import _citizen_issued_response


@citizen_required
@require_http_methods(["GET", "POST"])
def period_issue(request: HttpRequest, type_code: str) -> HttpResponse:
    person = citizen_person(request.user)
    kind = BY_CODE.get(type_code)
    if person is None or kind is None or kind.period_facts is None or not kind.is_offered:
        raise Http404
    today = timezone.localdate()
    form = PeriodIssueForm(request.POST or None, today=today)
    form.email_offer(person.verified_email)
    if request.method == "POST" and form.is_valid():
        issued = services.certificate_issue(
            person=person,
            type_code=kind.code,
            language=form.cleaned_data["language"],
            recipient=form.cleaned_data["recipient"],
            purpose=form.cleaned_data["purpose"],
            send_by_email=form.cleaned_data.get("send_by_email", False),
            actor=request.user,
            channel=Channel.PORTAL,
            request=request,
            period=form.cleaned_data["period"],
        )
        return _citizen_issued_response(request, issued, person)
    lang = (get_language() or "az")[:2]
    title = kind.title.get(lang, kind.title["az"])
    return render(request, "certificates/period.html", {"form": form, "title": title})
