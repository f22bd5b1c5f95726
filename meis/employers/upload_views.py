"""Bulk notification by file: choose a CSV or XLSX file and a mode, confirm with a one-time code
(ADR 0020), read what was registered and download the error report.

The file is read once before the code is sent (so a file with wrong columns is refused at once,
with nothing pending), kept on disk under a random name (never in the session: it can be 20 MB)
with its SHA-256 in the session, and read again after the code: a file changed in between is
refused. Nothing is registered before the code is right.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meis.accounts.access import citizen_person
from meis.accounts.decorators import citizen_required
from meis.core import formats
from meis.core.downloads import download_headers_set
from meis.employers.confirmation import (
    ConfirmationUnavailable,
    confirmation_done,
    confirmation_done_url,
    confirmation_pending,
    confirmation_send,
    confirmation_verify,
)
from meis.employers.forms import CodeForm
from meis.labour import bulk
from meis.labour.models import Assurance, BatchMode, NotificationBatch
from meis.labour.selectors import EmployerNotFound, employer_get_for_actor
from meis.labour.services import NotificationRefused
from meis.registry.models import Employer

ACTION = "upload"
SESSION_UPLOAD = "meis_employer_upload"
# Files waiting for their code are kept a day at most (a code lives 5 minutes).
KEPT_SECONDS = 24 * 3600


def _employer(request: HttpRequest, voen: str) -> Employer:
    try:
        return employer_get_for_actor(actor=request.user, voen=voen[:32])
    except EmployerNotFound:
        raise Http404 from None


def _pending_dir() -> Path:
    directory = Path(
        getattr(settings, "EMPLOYER_UPLOAD_DIR", "")
        or Path(tempfile.gettempdir()) / "meis-employer-uploads"
    )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _pending_sweep(directory: Path) -> None:
    cutoff = time.time() - KEPT_SECONDS
    for path in directory.iterdir():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File of notifications"),
        help_text=gettext_lazy(
            "A CSV (UTF-8) or Excel (.xlsx) file with the template's columns, one contract a "
            "row; at most 100 000 rows and 20 MB."
        ),
        error_messages={"required": gettext_lazy("Choose the file to upload.")},
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("If some rows have problems"),
        choices=[
            (
                BatchMode.ALL_OR_NOTHING.value,
                gettext_lazy(
                    "Register nothing: I will correct the file and upload all of it again"
                ),
            ),
            (
                BatchMode.ROW_BY_ROW.value,
                gettext_lazy(
                    "Register the correct rows now; I will upload the corrected rows later"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        initial=BatchMode.ALL_OR_NOTHING.value,
        error_messages={
            "required": gettext_lazy("Choose what to do with rows that have problems.")
        },
    )


def _content(upload: UploadedFile) -> bytes | None:
    """The file's bytes, or None beyond the size limit (read no further than one byte past it)."""
    if upload.size is not None and upload.size > bulk.MAX_BYTES:
        return None
    content = upload.read(bulk.MAX_BYTES + 1)
    return None if len(content) > bulk.MAX_BYTES else content


def _file_name(upload: UploadedFile) -> str:
    return (upload.name or "").replace("\x00", "")[-120:]


@citizen_required
def upload(request: HttpRequest, voen: str) -> HttpResponse:
    employer = _employer(request, voen)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            response = _read_and_send(request, employer, form)
            if response is not None:
                return response
    context = {"employer": employer, "form": form, "max_rows": bulk.MAX_ROWS}
    return render(request, "employers/upload.html", context, status=status)


def _read_and_send(
    request: HttpRequest, employer: Employer, form: UploadForm
) -> HttpResponse | None:
    upload_file: UploadedFile = form.cleaned_data["file"]
    mode = form.cleaned_data["mode"]
    name = _file_name(upload_file)
    content = _content(upload_file)
    if content is None:
        form.add_error(
            "file",
            _("The file is larger than %(megabytes)s MB. Split it into smaller files.")
            % {"megabytes": bulk.MAX_BYTES // (1024 * 1024)},
        )
        return None
    read = bulk.drafts_read(name=name, content=content)
    if read.is_unreadable:
        for problem in read.problems:
            form.add_error("file", problem.message)
        return None
    person = citizen_person(request.user)
    if person is None:
        raise Http404
    directory = _pending_dir()
    _pending_sweep(directory)
    token = secrets.token_urlsafe(24)
    (directory / token).write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    payload = {
        "employer": employer.voen,
        "file": token,
        "sha256": digest,
        "mode": mode,
        "name": name,
    }
    summary = [
        [_("File"), name],
        [_("Rows"), formats.count(read.total_rows)],
        [_("Rows with unreadable cells"), formats.count(len({p.row for p in read.problems}))],
        [_("If some rows have problems"), str(BatchMode(mode).label)],
    ]
    try:
        confirmation_send(
            request=request, person=person, action=ACTION, payload=payload, summary=summary
        )
    except ConfirmationUnavailable as unavailable:
        (directory / token).unlink(missing_ok=True)
        form.add_error(None, str(unavailable))
        return None
    request.session[SESSION_UPLOAD] = token
    return redirect("employers:upload_confirm", voen=employer.voen)


@citizen_required
def upload_confirm(request: HttpRequest, voen: str) -> HttpResponse:
    employer = _employer(request, voen)
    pending = confirmation_pending(request=request, action=ACTION)
    posted_challenge = request.POST.get("challenge", "")[:20]
    if request.method == "POST" and (
        pending is None or str(pending.challenge_id) != posted_challenge
    ):
        earlier = confirmation_done_url(request=request, challenge_id=posted_challenge)
        if earlier:
            return redirect(earlier)
        messages.info(request, _("This confirmation is no longer waiting. Start again."))
        return redirect("employers:upload", voen=employer.voen)
    if pending is None or pending.payload.get("employer") != employer.voen:
        return redirect("employers:upload", voen=employer.voen)
    form = CodeForm(request.POST or None, initial={"challenge": pending.challenge_id})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = confirmation_verify(request=request, code=form.cleaned_data["code"])
            if outcome and outcome.pending is not None:
                return _register(request, employer, outcome.pending.payload, outcome.pending)
            if outcome.check.value == "wrong":
                form.add_error("code", outcome.message)
            else:
                form.add_error(None, outcome.message)
    context = {"employer": employer, "pending": pending, "form": form}
    return render(request, "employers/upload_confirm.html", context, status=status)


def _register(
    request: HttpRequest, employer: Employer, payload: dict[str, Any], pending: Any
) -> HttpResponse:
    token = str(payload.get("file", ""))
    path = _pending_dir() / token
    if not token or "/" in token or not path.is_file():
        messages.error(request, _("The uploaded file is no longer kept. Upload it again."))
        return redirect("employers:upload", voen=employer.voen)
    content = path.read_bytes()
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_UPLOAD, None)
    if hashlib.sha256(content).hexdigest() != payload.get("sha256"):
        messages.error(
            request, _("The uploaded file changed after the code was sent. Upload it again.")
        )
        return redirect("employers:upload", voen=employer.voen)
    name = str(payload.get("name", ""))
    read = bulk.drafts_read(name=name, content=content)
    try:
        registered = bulk.upload_register(
            employer=employer,
            read=read,
            actor=request.user,
            assurance=Assurance.ONE_TIME_CODE,
            mode=str(payload.get("mode", BatchMode.ALL_OR_NOTHING)),
            file_name=name,
            idempotency_key=f"otp-upload-{pending.challenge_id}",
        )
    except NotificationRefused as refused:
        context = {"employer": employer, "pending": pending, "problems": refused.problems}
        return render(request, "employers/refused.html", context, status=409)
    url = reverse(
        "employers:upload_result", kwargs={"voen": employer.voen, "batch_id": registered.batch.pk}
    )
    confirmation_done(request=request, pending=pending, url=url)
    return redirect(url)


def _own_batch(employer: Employer, batch_id: int) -> NotificationBatch:
    batch = NotificationBatch.objects.filter(employer=employer, pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


PROBLEMS_SHOWN = 500


@citizen_required
def upload_result(request: HttpRequest, voen: str, batch_id: int) -> HttpResponse:
    employer = _employer(request, voen)
    batch = _own_batch(employer, batch_id)
    problems = batch.problems if isinstance(batch.problems, list) else []
    context = {
        "employer": employer,
        "batch": batch,
        "problems": problems[:PROBLEMS_SHOWN],
        "problems_count": len(problems),
        "problems_cut": len(problems) > PROBLEMS_SHOWN,
        "rows_with_problems": len({p.get("row") for p in problems if isinstance(p, dict)}),
    }
    return render(request, "employers/upload_result.html", context)


@citizen_required
def upload_report(request: HttpRequest, voen: str, batch_id: int) -> HttpResponse:
    employer = _employer(request, voen)
    batch = _own_batch(employer, batch_id)
    problems = [p for p in (batch.problems or []) if isinstance(p, dict)]
    response = HttpResponse(bulk.report_csv(problems))
    download_headers_set(
        response, name=f"errors-{employer.voen}-{batch.pk}", content_type="text/csv; charset=utf-8"
    )
    return response


@citizen_required
def upload_template(request: HttpRequest, voen: str, kind: str) -> HttpResponse:
    employer = _employer(request, voen)
    if kind == "csv":
        response = HttpResponse(bulk.template_csv())
        content_type = "text/csv; charset=utf-8"
    elif kind == "xlsx":
        response = HttpResponse(bulk.template_xlsx())
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    download_headers_set(response, name=f"contracts-{employer.voen}", content_type=content_type)
    return response
