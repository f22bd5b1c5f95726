"""Staff pages of the e-mail channel: the centre's e-mail queue, its quarantine, one e-mail."""

from __future__ import annotations

from typing import cast

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from meis.accounts.decorators import staff_required
from meis.mailintake import selectors


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
    return render(
        request,
        "mailintake/email.html",
        {"email": email, "thread": selectors.email_thread(email)},
    )


@staff_required
def attachment_download(request: HttpRequest, email_id: int, attachment_id: int) -> HttpResponse:
    email = selectors.email_get_for_actor(actor=request.user, email_id=email_id, request=request)
    attachment = selectors.attachment_get(email=email, attachment_id=attachment_id)
    if attachment is None:
        raise Http404
    response = FileResponse(
        default_storage.open(attachment.storage_name, "rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # streamed; `staff_required` is typed for HttpResponse
