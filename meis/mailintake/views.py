"""Staff pages of the e-mail channel: the centre's e-mail queue, its quarantine, one e-mail,
and filing an e-mail draft as a case."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meis.accounts.decorators import staff_required
from meis.catalog.definitions import text_in
from meis.catalog.forms import application_form_class
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.core.downloads import file_download
from meis.mailintake import selectors, services
from meis.mailintake.forms import FileAsCaseForm, ServiceChoiceForm
from meis.mailintake.models import EmailStatus, InboundEmail


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    centre = selectors.mail_centre_for_actor(actor=request.user, request=request)
    emails = selectors.email_queue(centre=centre) if centre is not None else []
    return render(
        request, "mailintake/queue.html", {"centre": centre, "emails": emails, "quarantine": False}
    )


@staff_required
def quarantine(request: HttpRequest) -> HttpResponse:
    centre = selectors.mail_centre_for_actor(actor=request.user, request=request)
    emails = selectors.email_queue(centre=centre, quarantined=True) if centre is not None else []
    return render(
        request, "mailintake/queue.html", {"centre": centre, "emails": emails, "quarantine": True}
    )


@staff_required
def email_page(request: HttpRequest, email_id: int) -> HttpResponse:
    email = selectors.email_get_for_actor(actor=request.user, email_id=email_id, request=request)
    if email.status != EmailStatus.DRAFT or email.thread_id is not None:
        return render(
            request,
            "mailintake/email.html",
            {"email": email, "thread": selectors.email_thread(email)},
        )
    services = selectors.services_filed_on_behalf()
    chosen = ServiceChoiceForm(request.GET or None, services=services)
    code = chosen.cleaned_data["service"] if chosen.is_valid() else ""
    return _draft_page(request, email, FileAsCaseForm(initial={"service": code}, services=services))


@staff_required
@require_POST
def file_as_case(request: HttpRequest, email_id: int) -> HttpResponse:
    """File the e-mail draft as a case for the person identified; 400 and nothing made if not."""
    email = selectors.email_get_for_actor(actor=request.user, email_id=email_id, request=request)
    form = FileAsCaseForm(request.POST, services=selectors.services_filed_on_behalf())
    refusal = ""
    if form.is_valid() and isinstance(request.user, User):
        try:
            case = services.email_file_as_case(
                email=email,
                actor=request.user,
                fin=form.cleaned_data["fin"],
                document_number=form.cleaned_data["document_number"],
                service_code=form.cleaned_data["service"],
                answers=request.POST,
                request=request,
            )
        except services.FilingRefused as error:
            refusal = str(error)
        else:
            messages.success(
                request,
                _("The e-mail was filed as application %(reference)s.")
                % {"reference": case.reference},
            )
            return redirect("backoffice:case", reference=case.reference)
    return _draft_page(request, email, form, refusal=refusal, status=400)


def _draft_page(
    request: HttpRequest,
    email: InboundEmail,
    form: FileAsCaseForm,
    *,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    code = str(form["service"].value() or "")
    answers_form = None
    service_name = ""
    if code in dict(selectors.services_filed_on_behalf()):
        version = eservice_version_current(code=code)
        service_name = text_in(version_definition(version).name)
        form_class = application_form_class(version_definition(version).fields)
        answers_form = form_class(request.POST) if request.method == "POST" else form_class()
    return render(
        request,
        "mailintake/email_draft.html",
        {
            "email": email,
            "thread": selectors.email_thread(email),
            "file_form": form,
            "answers_form": answers_form,
            "service_name": service_name,
            "refusal": refusal,
        },
        status=status,
    )


@staff_required
def attachment_download(request: HttpRequest, email_id: int, attachment_id: int) -> HttpResponse:
    email = selectors.email_get_for_actor(actor=request.user, email_id=email_id, request=request)
    attachment = selectors.attachment_get(email=email, attachment_id=attachment_id)
    if attachment is None:
        raise Http404
    response = file_download(
        default_storage.open(attachment.storage_name, "rb"),
        name=attachment.original_name,
        content_type=attachment.content_type,
    )
    return cast(HttpResponse, response)  # streamed; `staff_required` is typed for HttpResponse
