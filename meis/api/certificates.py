"""Certificates for registered clients: verify one by its code. The check is logged as any
verifier's, with the client's registered institution, so the holder sees it in "who looked at
my data"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from meis.api.clients import ClientBearer, scope_required
from meis.api.models import Scope
from meis.api.rules import PROBLEMS, Problem, RulesProblem
from meis.certificates.services import certificate_check

router = Router(tags=["Certificates"], auth=ClientBearer())


@router.get(
    "/certificates/{code}",
    response={200: dict[str, Any], 401: Problem, 403: Problem, 404: Problem, **PROBLEMS},
    summary="Verify an e-certificate by its code (scope certificates:verify)",
    operation_id="certificate_verify",
)
def certificate_verify(request: HttpRequest, code: str) -> dict[str, Any]:
    client = scope_required(request, Scope.CERTIFICATES_VERIFY)
    result = certificate_check(
        code=code[:40], organisation=client.institution, via="api", request=request
    )
    if result is None:
        raise RulesProblem("not-found", 404, "No certificate has this code.")
    return result.as_json()
