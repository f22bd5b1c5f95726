"""Applications through the API (the e-government gateway files what a citizen signed in there
asked for): submitted through the same `case_submit` as every channel, with channel *API*; an
`Idempotency-Key` header makes a retried request return the case already made, never a second;
a client reads the status of the applications it submitted, and only those."""

import base64
import binascii
import datetime
import hashlib
import json
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from meis.api.clients import ClientBearer, calling_client
from meis.api.fields import DocumentNumber, Fin, IdempotencyKey
from meis.api.models import ApiClient, ApiSubmission, Scope
from meis.api.rules import PROBLEMS, Problem
from meis.audit.models import AuditAction
from meis.audit.purposes import ReadPurpose
from meis.audit.services import audit_record
from meis.cases.access import AudienceRefused
from meis.cases.models import Case, CaseStatus, Channel, ContactChannel
from meis.cases.services.documents import DocumentRefused
from meis.cases.services.errors import CaseActionError, CaseInvalid
from meis.cases.services.submit import case_submit
from meis.catalog.models import EServiceVersion
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.centres.models import ServiceCentre
from meis.registry.models import Person
from meis.registry.selectors import person_get_by_fin_and_document

router = Router(tags=["Applications"])


class BoundedPages(LimitOffsetPagination):
    """Pages of at most 100, from an offset a database can count to."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100)
        offset: int = Field(0, ge=0, le=1_000_000)


class ApplicationProblem(Exception):
    def __init__(self, kind: str, status: int, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.kind, self.status, self.detail, self.extra = kind, status, detail, extra


class DocumentIn(Schema):
    code: str = Field(max_length=64, description="The service's document code.")
    filename: str = Field(max_length=255)
    content_base64: str = Field(description="The file, base64-encoded (standard alphabet).")


class ApplicationIn(Schema):
    service: str = Field(max_length=64, description="The e-service code.", examples=["age-benefit"])
    fin: Fin
    document_number: DocumentNumber
    answers: dict[str, Any] = Field(
        default_factory=dict, description="The service form's answers by field name."
    )
    centre: str | None = Field(
        None, max_length=32, description="The service centre's code; default: one in the region."
    )
    documents: list[DocumentIn] = Field(default_factory=list, max_length=20)


class ApplicationOut(Schema):
    reference: str
    service: str
    status: str = Field(description="submitted, in_review, awaiting_information, … approved.")
    status_title: str = Field(description="The status in the language of Accept-Language.")
    submitted_at: datetime.datetime
    due_on: datetime.date | None = Field(description="The legal deadline for the decision.")
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_service(case: Case) -> str:
        return case.service_version.service.code

    @staticmethod
    def resolve_status_title(case: Case) -> str:
        return str(CaseStatus(case.status).label)


def _fingerprint(body: ApplicationIn) -> str:
    """What the request asks for, so that a key sent again with another request is caught."""
    meaning = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(meaning.encode()).hexdigest()


def _case_key(client: ApiClient, key: str) -> str:
    """The case's own idempotency key: one per client and key, within the column's 64 chars."""
    return "api:" + hashlib.sha256(f"{client.pk}\0{key}".encode()).hexdigest()[:56]


def _replayed(submission: ApiSubmission, fingerprint: str) -> Case:
    if submission.fingerprint != fingerprint:
        raise ApplicationProblem(
            "idempotency-key-reused",
            422,
            _("This Idempotency-Key was already used for a different application."),
        )
    return submission.case


def _person(body: ApplicationIn) -> Person:
    person = person_get_by_fin_and_document(fin=body.fin, document_number=body.document_number)
    if person is None:
        raise ApplicationProblem(
            "not-found", 404, _("No living person holds a valid document with these numbers.")
        )
    return person


def _version(code: str) -> EServiceVersion:
    try:
        version = eservice_version_current(code=code)
    except EServiceVersion.DoesNotExist:
        raise ApplicationProblem(
            "not-found", 404, _("No active e-service has this code.")
        ) from None
    definition = version_definition(version)
    if not definition.is_online or definition.is_instant:
        raise ApplicationProblem(
            "application-refused", 422, _("This service is not filed as an application online.")
        )
    return version


def _centre(code: str | None, person: Person) -> ServiceCentre:
    centres = ServiceCentre.objects.order_by("code")
    if code:
        centre = centres.filter(code=code).first()
        if centre is None:
            raise ApplicationProblem("not-found", 404, _("No service centre has this code."))
        return centre
    centre = centres.filter(region=person.region).first() or centres.first()
    if centre is None:
        raise ApplicationProblem("not-found", 404, _("No service centre has this code."))
    return centre


def _documents(body: ApplicationIn) -> list[tuple[str, SimpleUploadedFile]]:
    files = []
    for number, document in enumerate(body.documents):
        try:
            content = base64.b64decode(document.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ApplicationProblem(
                "invalid-input",
                422,
                _("A document's content is not valid base64."),
                errors=[
                    {
                        "field": f"body.documents.{number}.content_base64",
                        "message": _("Encode the file in base64."),
                    }
                ],
            ) from None
        files.append((document.code, SimpleUploadedFile(document.filename, content)))
    return files


@router.post(
    "/applications",
    response={
        200: ApplicationOut,
        201: ApplicationOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        **PROBLEMS,
    },
    summary="Submit an application for a citizen (scope applications:submit)",
    description=(
        "Send an `Idempotency-Key` header (8–128 printable characters, e.g. a UUID) with each "
        "new application. The same key again returns the same case (200) instead of making a "
        "second; the same key with a different application is refused (422)."
    ),
    operation_id="application_submit",
    auth=ClientBearer(Scope.APPLICATIONS_SUBMIT),
)
def application_submit(
    request: HttpRequest,
    body: ApplicationIn,
    idempotency_key: Annotated[IdempotencyKey, Header(alias="Idempotency-Key")],
) -> tuple[int, Case]:
    client = calling_client(request)
    request.api_purpose = ReadPurpose.PERSON_REQUEST.value  # type: ignore[attr-defined]
    fingerprint = _fingerprint(body)
    earlier = (
        ApiSubmission.objects.select_related("case__service_version__service")
        .filter(client=client, idempotency_key=idempotency_key)
        .first()
    )
    if earlier is not None:
        return 200, _replayed(earlier, fingerprint)
    version = _version(body.service)
    person = _person(body)
    centre = _centre(body.centre, person)
    try:
        result = case_submit(
            person=person,
            version=version,
            answers=body.answers,
            channel=Channel.API,
            actor=AnonymousUser(),
            centre=centre,
            contact_channel=ContactChannel.PORTAL,
            contact_value="",
            idempotency_key=_case_key(client, idempotency_key),
            documents=_documents(body),
            request=request,
        )
    except CaseInvalid as invalid:
        raise ApplicationProblem(
            "invalid-input",
            422,
            str(invalid),
            errors=[
                {"field": f"body.answers.{name}", "message": " ".join(messages)}
                for name, messages in invalid.errors.items()
            ],
        ) from None
    except (AudienceRefused, DocumentRefused, CaseActionError) as refused:
        raise ApplicationProblem("application-refused", 409, str(refused)) from None
    # Two copies of one request at once: both reach the same case (its key is unique); the one
    # that records the submission second reads the first's.
    try:
        with transaction.atomic():
            ApiSubmission.objects.create(
                client=client,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
                case=result.case,
            )
    except IntegrityError:
        earlier = ApiSubmission.objects.get(client=client, idempotency_key=idempotency_key)
        return 200, _replayed(earlier, fingerprint)
    case = Case.objects.select_related("service_version__service").get(pk=result.case.pk)
    return (201 if result.created else 200), case


def _own_case(client: ApiClient, reference: str) -> Case:
    submission = (
        ApiSubmission.objects.select_related("case__service_version__service", "case__person")
        .filter(client=client, case__reference=reference[:20])
        .first()
    )
    if submission is None:
        raise ApplicationProblem(
            "not-found", 404, _("This client submitted no application with this reference.")
        )
    return submission.case


@router.get(
    "/applications/{reference}",
    response={200: ApplicationOut, 401: Problem, 403: Problem, 404: Problem, **PROBLEMS},
    summary="The status of an application this client submitted (scope applications:read)",
    operation_id="application_status",
    auth=ClientBearer(Scope.APPLICATIONS_READ),
)
def application_status(request: HttpRequest, reference: str) -> Case:
    client = calling_client(request)
    request.api_purpose = ReadPurpose.PERSON_REQUEST.value  # type: ignore[attr-defined]
    case = _own_case(client, reference)
    audit_record(
        action=AuditAction.PERSON_READ,
        actor=None,
        actor_role="api_client",
        actor_institution=client.institution,
        person=case.person,
        obj=case,
        purpose=ReadPurpose.PERSON_REQUEST.value,
        request=request,
        details={"client": client.name, "operation": "application_status"},
    )
    return case


@router.get(
    "/applications",
    response={200: list[ApplicationOut], 401: Problem, 403: Problem, **PROBLEMS},
    summary="The applications this client submitted, newest first (scope applications:read)",
    operation_id="application_list",
    auth=ClientBearer(Scope.APPLICATIONS_READ),
)
@paginate(BoundedPages)
def application_list(request: HttpRequest, status: CaseStatus | None = None) -> Any:
    client = calling_client(request)
    cases = Case.objects.filter(
        pk__in=ApiSubmission.objects.filter(client=client).values("case_id")
    ).select_related("service_version__service")
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("-submitted_at", "-id")
