"""Staff message search and re-send; the SMS gateway's delivery-receipt callback."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from meis.accounts.access import citizen_person, persons_listed_for_actor
from meis.accounts.decorators import citizen_required
from meis.accounts.request_memo import request_memo_forget
from meis.accounts.urls_helpers import safe_next
from meis.core.downloads import file_download
from meis.notifications.forms import MessageSearchForm
from meis.notifications.selectors import (
    inbox_attachment_get,
    inbox_list,
    inbox_message_get,
    inbox_unread_count,
    message_get,
    message_search,
    messages_latest,
)
from meis.notifications.services import (
    RECEIPT_STATUSES,
    MessageNotResendable,
    inbox_item_mark_read,
    message_resend,
    sms_receipt_record,
)

SIGNATURE_HEADER = "X-MEIS-Signature"
PAGE_SIZE = 50


def _staff_check(request: HttpRequest, permission: str) -> None:
    user = request.user
    if not (user.is_authenticated and user.is_staff and user.has_perm(permission)):
        raise PermissionDenied


@require_safe
def staff_message_list(request: HttpRequest) -> HttpResponse:
    _staff_check(request, "notifications.view_message")
    form = MessageSearchForm(request.GET or None)
    valid = form.is_valid()
    found = message_search(**(form.cleaned_data if valid else {}), criteria_valid=valid)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    persons_listed_for_actor(
        actor=request.user,
        listed=[(message.person_id, message) for message in page.object_list],
        purpose="message desk search",
        request=request,
    )
    return render(
        request,
        "notifications/staff_message_list.html",
        {
            "form": form,
            "page": page,
            "can_resend": request.user.has_perm("notifications.resend_message"),
        },
    )


@require_POST
def staff_message_resend(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _staff_check(request, "notifications.resend_message")
    message = message_get(public_id=public_id)
    try:
        message_resend(message=message, actor=request.user, request=request)
    except MessageNotResendable:
        flash.error(
            request,
            _(
                "This message cannot be re-sent: it was not failed, or the person has no verified contact."
            ),
        )
    else:
        flash.success(request, _("The message has been queued again."))
    # Back to the page the resend was made from, when it is one of ours (never another site).
    return redirect(safe_next(request, "") or "notifications:staff_message_list")


def signature_for(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@csrf_exempt
@require_POST
def sms_delivery_receipt(request: HttpRequest) -> HttpResponse:
    """The gateway's receipt, authenticated by an HMAC-SHA256 of the body (docs/sms-gateway.md)."""
    secret = settings.SMS_CALLBACK_SECRET
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not secret or not hmac.compare_digest(given, signature_for(request.body, secret)):
        return HttpResponseForbidden("Bad or missing signature.")
    try:
        payload = json.loads(request.body)
        reference = uuid.UUID(str(payload["reference"]))
        status = str(payload["status"])
        if status not in RECEIPT_STATUSES:
            raise ValueError(status)
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("Expected JSON with reference and status.")
    found = sms_receipt_record(
        reference=reference, status=status, error=str(payload.get("error", ""))
    )
    return JsonResponse({"recorded": found}, status=200 if found else 404)


INBOX_PAGE_SIZE = 20


@require_safe
@citizen_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in citizen's portal inbox: newest first, subject and date, the unread marked;
    a message is read when it is opened (`inbox_message`), not when the list is shown."""
    person = citizen_person(request.user)
    assert person is not None  # citizen_required  # noqa: S101
    page = Paginator(inbox_list(person=person), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "inbox": page.object_list,
            "page": page,
            "unread_count": inbox_unread_count(person=person),
        },
    )


@require_safe
@citizen_required
def inbox_message(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One of the signed-in citizen's own messages, which opening marks read (404 for anyone
    else's). The citizen reading their own mailbox is not audited; staff never come here."""
    person = citizen_person(request.user)
    assert person is not None  # citizen_required  # noqa: S101
    message = inbox_message_get(person=person, public_id=str(public_id))
    if message is None:
        raise Http404
    was_unread = message.read_at is None
    inbox_item_mark_read(person=person, message_id=message.pk)
    if was_unread:
        # The navigation's unread count was read with the user's facts at the request's start.
        request_memo_forget(request.user)
    return render(
        request,
        "notifications/inbox_message.html",
        {"message": message, "was_unread": was_unread},
    )


@require_safe
@citizen_required
def inbox_attachment(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A file from one of the signed-in citizen's own inbox messages (404 for anyone else's)."""
    person = citizen_person(request.user)
    assert person is not None  # citizen_required  # noqa: S101
    attachment = inbox_attachment_get(person=person, public_id=str(public_id))
    if attachment is None:
        raise Http404
    response: HttpResponse = file_download(  # type: ignore[assignment]  # streams the stored file
        default_storage.open(attachment.storage_name, "rb"),
        name=attachment.file_name,
        content_type=attachment.content_type,
    )
    return response


# --- Development mailbox --------------------------------------------------------------------
def dev_messages(request: HttpRequest) -> HttpResponse:
    """The demo's mailbox/SMS log: routed only with MEIS_DEMO or DEBUG, and refuses without."""
    if not (settings.DEBUG or settings.MEIS_DEMO):
        raise Http404
    return render(request, "notifications/dev_messages.html", {"dev_messages": messages_latest()})
