"""Certificates for registered clients (scope certificates:verify): verify one by its code, or
verify an uploaded PDF (the ministry's signature over the whole file, and a record with its
hash). Each check is logged as any verifier's, with the client's registered institution, so the
holder sees it in "who looked at my data"."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from meis.api.clients import ClientBearer, calling_client
from meis.api.models import Scope
from meis.api.rules import PROBLEMS, Problem, RulesProblem
from meis.audit.purposes import ReadPurpose
from meis.certificates.services import certificate_check, certificate_check_pdf
from meis.certificates.signing import PdfVerdict
from meis.core.replica import replica_reads_within

router = Router(tags=["Certificates"])

# A certificate PDF is tens of kilobytes; the portal's upload check takes at most this much too.
MAX_PDF_BYTES = 5 * 1024 * 1024


class PdfCheckOut(Schema):
    verdict: PdfVerdict
    certificate: dict[str, Any] | None = None


@router.post(
    "/certificates/verify-pdf",
    response={200: PdfCheckOut, 401: Problem, 403: Problem, 413: Problem, **PROBLEMS},
    summary="Verify an e-certificate PDF (multipart field “file”; scope certificates:verify)",
    description=(
        "`verdict` is `genuine` only when the ministry's signature covers the whole file as "
        "sent; then `certificate` is what the code check answers (its status may still be "
        "revoked or expired). `altered`, `unsigned`, `other_key` and `not_pdf` carry no "
        "certificate."
    ),
    operation_id="certificate_verify_pdf",
    auth=ClientBearer(Scope.CERTIFICATES_VERIFY),
)
def certificate_verify_pdf(
    request: HttpRequest, file: Annotated[UploadedFile | None, File(None)] = None
) -> dict[str, Any]:
    client = calling_client(request)
    request.api_purpose = ReadPurpose.PERSON_REQUEST.value  # type: ignore[attr-defined]
    if "file" in request.POST:  # sent as a text field, not as a file
        raise RulesProblem(
            "invalid-input", 422, _("Send the PDF as multipart/form-data, in the field file.")
        )
    if file is None:  # nothing sent, or an empty file (Django's parser keeps no empty upload)
        return {"verdict": PdfVerdict.NOT_PDF, "certificate": None}
    if (file.size or 0) > MAX_PDF_BYTES:
        raise RulesProblem("too-large", 413, _("Send a certificate PDF of at most 5 MB."))
    data = file.read(MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise RulesProblem("too-large", 413, _("Send a certificate PDF of at most 5 MB."))
    check, result = certificate_check_pdf(
        data=data, organisation=client.institution, request=request, via="api-pdf"
    )
    return {"verdict": check.verdict, "certificate": result.as_json() if result else None}


# After the PDF check: "/certificates/verify-pdf" would otherwise be taken as a code.
@router.get(
    "/certificates/{code}",
    response={200: dict[str, Any], 401: Problem, 403: Problem, 404: Problem, **PROBLEMS},
    summary="Verify an e-certificate by its code (scope certificates:verify)",
    operation_id="certificate_verify",
    auth=ClientBearer(Scope.CERTIFICATES_VERIFY),
)
def certificate_verify(request: HttpRequest, code: str) -> dict[str, Any]:
    client = calling_client(request)
    request.api_purpose = ReadPurpose.PERSON_REQUEST.value  # type: ignore[attr-defined]
    # Read-mostly and called by every bank: from the replica, when there is one (the client and
    # its token above were read from the primary; the check is logged there).
    with replica_reads_within():
        result = certificate_check(
            code=code[:40], organisation=client.institution, via="api", request=request
        )
    if result is None:
        raise RulesProblem("not-found", 404, _("No certificate has this code."))
    return result.as_json()
