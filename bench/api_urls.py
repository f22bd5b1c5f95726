"""The URLconf bench/api.py serves: the project's own URLs (meis.urls, API v1 included) plus two
bare Django views, the ceiling the API is measured against on the same server and database.

- `GET /bench/certificates/<code>`: the same Certificate row the API verifies, read by its code
  digest, a few fields as JSON; no ninja, no client authentication, no rate limit, no audit or
  usage event.
- `GET /bench/certificates-audited/<code>`: the same read, and in one transaction the writes
  every verification must make by the issue's own rules (an audit event of the holder, a usage
  event): the ceiling for an endpoint that is "audited like every other read".
- `POST /bench/calculate/<scheme>`: the same JSON body json-loaded and the same rules evaluation
  (`meis.rules.cli.evaluate`) as `POST /api/v1/calculate/<scheme>`; no ninja, no schema, no rate
  limit.

Not a benchmark of its own: `make bench` runs every bench/*.py as a script, and run that way this
module only says so (the project's URLs need Django set up, which gunicorn does for bench/api.py).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from meis.certificates.codes import code_digest
from meis.rules.cli import evaluate


@require_GET
def certificate_bare(request: HttpRequest, code: str) -> HttpResponse:
    from meis.certificates.models import Certificate  # the app registry is ready by now

    digest = code_digest(code[:40])
    certificate = Certificate.objects.filter(code_digest=digest).first() if digest else None
    if certificate is None:
        return JsonResponse({"detail": "No certificate has this code."}, status=404)
    return JsonResponse(
        {
            "type": certificate.type_code,
            "language": certificate.language,
            "presented_to": certificate.recipient,
            "issued_at": certificate.issued_at.isoformat(),
            "valid_until": certificate.expires_on.isoformat(),
            "status": certificate.status,
            "pdf_sha256": certificate.pdf_sha256,
        }
    )


@require_GET
def certificate_bare_audited(request: HttpRequest, code: str) -> HttpResponse:
    from django.db import transaction
    from django.utils import timezone

    from meis.audit.models import AuditEvent
    from meis.certificates.models import Certificate
    from meis.usage.models import UsageKind
    from meis.usage.services import usage_record

    digest = code_digest(code[:40])
    with transaction.atomic():
        certificate = Certificate.objects.filter(code_digest=digest).first() if digest else None
        if certificate is None:
            return JsonResponse({"detail": "No certificate has this code."}, status=404)
        AuditEvent.objects.create(
            action="certificate.verify",
            actor_role="verifier",
            actor_institution="bench",
            person_id=certificate.person_id,
            object_type="certificates.certificate",
            object_id=str(certificate.pk),
            purpose="bench",
        )
        usage_record(
            kind=UsageKind.CERTIFICATE_VERIFIED,
            occurred_at=timezone.now(),
            service_code="certificate-pension",
            channel="api",
            outcome=certificate.status,
        )
    return JsonResponse({"status": certificate.status, "pdf_sha256": certificate.pdf_sha256})


@csrf_exempt  # as the API's own POSTs: a machine interface, no cookies
@require_POST
def calculate_bare(request: HttpRequest, scheme: str) -> HttpResponse:
    body = json.loads(request.body)
    result = evaluate(scheme, on=body["on"], facts=body["facts"], explain_in=None)
    return JsonResponse(result)


def _urlpatterns() -> list[object]:
    from meis.urls import urlpatterns as project  # needs Django set up

    return [
        path("bench/certificates/<str:code>", certificate_bare),
        path("bench/certificates-audited/<str:code>", certificate_bare_audited),
        path("bench/calculate/<str:scheme>", calculate_bare),
        *project,
    ]


if __name__ == "__main__":
    print("bench/api_urls.py is the URLconf of bench/api.py, not a benchmark: run bench/api.py")
else:
    urlpatterns = _urlpatterns()
