"""Pages of E-Arayış: the citizen's certificates, the public check (page, PDF, API), staff desk."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meis.accounts.access import (
    citizen_person,
    person_get_for_actor,
    personal_data_page_check,
)
from meis.accounts.decorators import citizen_required, staff_required
from meis.accounts.throttle import Limit, throttle_take
from meis.audit.services import client_address_from
from meis.cases.models import Channel
from meis.certificates import services
from meis.certificates.forms import (
    CheckForm,
    IssueForm,
    OrganisationForm,
    PdfCheckForm,
    RevokeForm,
    StaffIssueForm,
    StaffRevokeForm,
)
from meis.certificates.models import Certificate
from meis.certificates.selectors import certificate_get_for_person, certificate_list_for_person
from meis.certificates.signing import PdfVerdict
from meis.core.downloads import download_headers_set, file_download
from meis.core.identifiers import InvalidIdentifier
from meis.core.replica import replica_reads
from meis.registry.models import Person
from meis.registry.selectors import person_get_by_fin

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _pdf_response(pdf: bytes, certificate: Certificate) -> HttpResponse:
    name = f"arayis-{certificate.type_code}-{certificate.issued_at:%Y%m%d}-{certificate.pk}.pdf"
    response = HttpResponse(pdf)
    download_headers_set(response, name=name, content_type="application/pdf")
    return response


def _citizen_issued_response(
    request: HttpRequest, issued: services.Issued, person: Person
) -> HttpResponse:
    """After a citizen's issue: to "My certificates" with a message when the certificate is being
    e-mailed, else the PDF itself (also used by the period certificate's page)."""
    if issued.emailed == services.Emailed.QUEUED:
        messages.success(
            request,
            _(
                "Your certificate is issued. We are e-mailing it to %(email)s; you can also "
                "download it below."
            )
            % {"email": person.verified_email},
        )
        return HttpResponseRedirect(reverse("certificates:mine"))
    return _pdf_response(issued.pdf, issued.certificate)


# --- Citizen ---------------------------------------------------------------------------------
@citizen_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    form = IssueForm(request.POST or None)
    form.email_offer(person.verified_email)
    if request.method == "POST" and form.is_valid():
        issued = services.certificate_issue(
            person=person,
            type_code=form.cleaned_data["type_code"],
            language=form.cleaned_data["language"],
            recipient=form.cleaned_data["recipient"],
            purpose=form.cleaned_data["purpose"],
            send_by_email=form.cleaned_data.get("send_by_email", False),
            actor=request.user,
            channel=Channel.PORTAL,
            request=request,
        )
        return _citizen_issued_response(request, issued, person)
    today = datetime.date.today()  # noqa: DTZ011 — display only
    rows = [
        (c, services.certificate_status(c, on=today))
        for c in certificate_list_for_person(person=person)
    ]
    return render(request, "certificates/mine.html", {"form": form, "rows": rows})


@citizen_required
@require_GET
def my_certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    person = citizen_person(request.user)
    if person is None:
        raise Http404
    certificate = certificate_get_for_person(person=person, certificate_id=certificate_id)
    response: HttpResponse = file_download(  # type: ignore[assignment]  # streams the stored file
        default_storage.open(certificate.pdf_name, "rb"),
        name=f"arayis-{certificate.type_code}-{certificate.pk}.pdf",
        content_type="application/pdf",
    )
    return response


@citizen_required
@require_http_methods(["GET", "POST"])
def my_certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """GET asks "Are you sure?" and says what revoking does; POST (with its CSRF token) revokes.
    The service revokes only a certificate still issued, so a second POST changes nothing."""
    person = citizen_person(request.user)
    if person is None:
        raise Http404
    certificate = certificate_get_for_person(person=person, certificate_id=certificate_id)
    form = RevokeForm(request.POST or None)
    if request.method == "GET":
        return render(
            request,
            "certificates/revoke_confirm.html",
            {"certificate": certificate, "form": form},
        )
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.certificate_revoke(
            certificate=certificate, actor=request.user, reason=reason, request=request
        )
        messages.success(request, _("The certificate is revoked. Checks now show it as revoked."))
    except services.CertificateError as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("certificates:mine"))


# --- Public check ----------------------------------------------------------------------------
def _limit() -> Limit:
    from django.conf import settings

    return Limit(
        "cert-verify-ip",
        settings.CERTIFICATE_VERIFY_LIMIT_PER_ADDRESS,
        datetime.timedelta(minutes=1),
    )


def _throttled(request: HttpRequest) -> bool:
    """Count this check for the client address; True when the address must wait."""
    address = client_address_from(request) or "unknown"
    return throttle_take(_limit(), address) is not None


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "certificates/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    form = CheckForm(request.GET or None)
    if request.GET and form.is_valid():
        url = reverse("certificates:verify_code", kwargs={"code": form.cleaned_data["code"]})
        organisation = form.cleaned_data["organisation"]
        query = f"?{urlencode({'organisation': organisation})}" if organisation else ""
        return HttpResponseRedirect(url + query)
    return render(request, "certificates/verify.html", {"form": form, "pdf_form": PdfCheckForm()})


@require_GET
def verify_short(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code's address: to the check page of the code, in the visitor's language.

    No lookup and no rate-limit hit here: verify_code does both, so a code is counted once and an
    unknown or malformed one ends at the same 404 page as from the check form.
    """
    return HttpResponseRedirect(reverse("certificates:verify_code", kwargs={"code": code[:40]}))


@require_GET
@replica_reads
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    if _throttled(request):
        return _too_many(request)
    organisation = request.GET.get("organisation", "").strip()[:200]
    result = services.certificate_check(
        code=code[:40], organisation=organisation, via="page", request=request
    )
    status = 200 if result is not None else 404
    # Someone who arrived by the QR code declares their organisation with this GET form: the page
    # comes back with the check logged again, this time under their organisation's name.
    organisation_form = OrganisationForm(initial={"organisation": organisation})
    return render(
        request,
        "certificates/verify_result.html",
        {"result": result, "organisation": organisation, "organisation_form": organisation_form},
        status=status,
    )


@require_POST
def verify_pdf(request: HttpRequest) -> HttpResponse:
    if _throttled(request):
        return _too_many(request)
    form = PdfCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "certificates/verify.html", {"form": CheckForm(), "pdf_form": form}, status=400
        )
    upload = form.cleaned_data["file"]
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        check_verdict, result = PdfVerdict.NOT_PDF, None
    else:
        check, result = services.certificate_check_pdf(
            data=data, organisation=form.cleaned_data["organisation"], request=request
        )
        check_verdict = check.verdict
    return render(
        request,
        "certificates/verify_pdf.html",
        {"verdict": str(check_verdict), "result": result},
    )


# --- Staff desk and call centre --------------------------------------------------------------
@staff_required
def staff_desk(request: HttpRequest) -> HttpResponse:
    personal_data_page_check(actor=request.user, request=request, page="certificates desk")
    issue_form = StaffIssueForm(request.POST if "issue" in request.POST else None)
    revoke_form = StaffRevokeForm(request.POST if "revoke" in request.POST else None)
    if "issue" in request.POST and issue_form.is_valid():
        person = _identified(request, issue_form.cleaned_data["fin"])
        issued = services.certificate_issue(
            person=person,
            type_code=issue_form.cleaned_data["type_code"],
            language=issue_form.cleaned_data["language"],
            recipient=issue_form.cleaned_data["recipient"],
            purpose=issue_form.cleaned_data["purpose"],
            send_by_email=issue_form.cleaned_data["send_by_email"],
            actor=request.user,
            channel=services.staff_channel(actor=request.user),
            request=request,
        )
        if issued.emailed == services.Emailed.NOT_ASKED:
            return _pdf_response(issued.pdf, issued.certificate)
        messages.success(request, _staff_email_message(issued, person))
        return HttpResponseRedirect(reverse("certificates:staff_desk"))
    if "revoke" in request.POST and revoke_form.is_valid():
        _staff_revoke(request, revoke_form)
        return HttpResponseRedirect(reverse("certificates:staff_desk"))
    return render(
        request,
        "certificates/staff_desk.html",
        {"issue_form": issue_form, "revoke_form": revoke_form},
    )


def _staff_email_message(issued: services.Issued, person: Person) -> str:
    reference = issued.certificate.case.reference if issued.certificate.case else ""
    if issued.emailed == services.Emailed.QUEUED:
        return _(
            "Certificate issued (%(reference)s). It is being e-mailed to the person’s confirmed "
            "address %(email)s."
        ) % {"reference": reference, "email": email_masked(person.verified_email or "")}
    return _(
        "Certificate issued (%(reference)s), but not e-mailed: the person has no confirmed "
        "e-mail address. Tell them to download it on the portal under “My certificates”."
    ) % {"reference": reference}


def email_masked(address: str) -> str:
    """Enough of an address for the person to recognise it on a call: g•••@example.az."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"


def _identified(request: HttpRequest, fin: str) -> Person:
    """The person with this FİN if the actor may serve them (audited; 404 otherwise, also for a
    malformed FİN)."""
    try:
        person = person_get_by_fin(fin=fin)
    except InvalidIdentifier:
        person = None
    return person_get_for_actor(
        actor=request.user,
        person_id=person.pk if person else 0,
        purpose="e-certificate issue",
        request=request,
    )


def _staff_revoke(request: HttpRequest, form: StaffRevokeForm) -> None:
    try:
        services.certificate_revoke_by_code(
            code=form.cleaned_data["code"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
            request=request,
        )
        messages.success(request, _("The certificate is revoked."))
    except services.CertificateError as error:
        messages.error(request, str(error))
