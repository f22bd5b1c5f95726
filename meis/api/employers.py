"""Employment contracts through the API (scope employers:contracts): an employer's payroll
system notifies hires in batches, terminates a contract, and lists the employer's contracts.

A client acts only for the employers an administrator bound it to (`ApiClientEmployer`); any
other VÖEN is "not found", as on the employer pages. Notifications go through the same reading
and checks as an uploaded file (`meis.labour.bulk.upload_register`): the same problem codes, the
same all-or-nothing or row-by-row modes, the assurance level `api_client`. A batch holds at most
1 000 notifications (a larger payroll sends several batches; each answers within a request's
time). Every POST needs an `Idempotency-Key`: the same key again answers with the first
outcome and registers nothing; the same key with another request is refused (422).
"""

import datetime
import hashlib
import json
from typing import Annotated, Any, Literal

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema
from ninja.pagination import paginate

from meis.api.applications import ApplicationProblem, BoundedPages
from meis.api.clients import ClientBearer, calling_client
from meis.api.fields import IdempotencyKey, IsoDay
from meis.api.models import ApiClient, ApiClientEmployer, ApiContractsCall, Scope
from meis.api.rules import PROBLEMS, Problem
from meis.audit.services import person_reads_record
from meis.labour.bulk import ReadResult, upload_register
from meis.labour.models import (
    Assurance,
    Contract,
    ContractStatus,
    NotificationBatch,
    TerminationGround,
)
from meis.labour.services import NotificationRefused, contract_terminate
from meis.labour.validation import ContractDraft
from meis.labour.validation import Problem as RegisterProblem
from meis.registry.models import Employer

router = Router(tags=["Employers"])
MAX_CONTRACTS = 1000


class ContractsProblem(Problem):
    """Problem details whose `errors` name the row (the index in `contracts`), the field, a
    stable code (the same as in an uploaded file's error report) and a translated message."""

    errors: list[dict[str, str | int]] | None = None  # type: ignore[assignment]


class ContractIn(Schema):
    employee_fin: str = Field(max_length=32, description="The employee's FİN.")
    occupation_code: str = Field(max_length=16, description="The occupation classifier's code.")
    position: str = Field(max_length=255)
    workplace: str = Field(max_length=255)
    monthly_wage_qepik: int = Field(
        ge=0, le=1_000_000_000, description="The monthly wage in qəpik (1 AZN = 100 qəpik)."
    )
    weekly_hours: int = Field(ge=0, le=168)
    term: str = Field(max_length=16, description="indefinite or fixed", examples=["indefinite"])
    fixed_end_on: IsoDay | None = Field(None, description="The end of a fixed term.")
    probation_months: int = Field(0, ge=0, le=120)
    concluded_on: IsoDay
    start_on: IsoDay = Field(description="The first day of work.")
    is_main_job: bool = Field(description="False for secondary (additional) work.")


class ContractsIn(Schema):
    mode: Literal["all_or_nothing", "row_by_row"] = Field(
        "all_or_nothing",
        description=(
            "all_or_nothing: any problem registers none; row_by_row: the valid notifications "
            "are registered and the others reported."
        ),
    )
    contracts: list[ContractIn] = Field(min_length=1, max_length=MAX_CONTRACTS)


class ContractOut(Schema):
    number: str = Field(description="The registration number, e.g. ƏM-00000012.")
    employee_fin: str
    occupation_code: str
    position: str
    workplace: str
    monthly_wage_qepik: int
    weekly_hours: int
    term: str
    fixed_end_on: datetime.date | None
    probation_months: int
    concluded_on: datetime.date
    start_on: datetime.date
    is_main_job: bool
    status: str = Field(description="active, suspended or terminated.")
    terminated_on: datetime.date | None
    termination_ground: str | None = Field(description="The ground's code.")
    is_late: bool = Field(description="Notified after work started.")
    registered_at: datetime.datetime

    @staticmethod
    def resolve_employee_fin(contract: Contract) -> str:
        return contract.person.fin

    @staticmethod
    def resolve_occupation_code(contract: Contract) -> str:
        return contract.occupation.code

    @staticmethod
    def resolve_termination_ground(contract: Contract) -> str | None:
        ground = contract.termination_ground
        return ground.code if ground else None


class ProblemOut(Schema):
    row: int = Field(description="The index of the notification in `contracts` (from 0).")
    field: str
    code: str
    message: str


class BatchOut(Schema):
    batch: int
    mode: str
    rows: int
    registered: int
    refused: int
    contracts: list[ContractOut]
    problems: list[ProblemOut]


class TerminationIn(Schema):
    terminated_on: IsoDay = Field(description="The last day of work.")
    ground: str = Field(max_length=16, description="The termination ground's code.")


def _employer(client: ApiClient, voen: str) -> Employer:
    binding = (
        ApiClientEmployer.objects.select_related("employer")
        .filter(client=client, employer__voen=voen[:32])
        .first()
    )
    if binding is None:
        raise ApplicationProblem(
            "not-found", 404, _("This client does not notify contracts for this employer.")
        )
    return binding.employer


def _contracts(employer: Employer) -> QuerySet[Contract]:
    return Contract.objects.filter(employer=employer).select_related(
        "person", "occupation", "termination_ground"
    )


def _fingerprint(voen: str, body: Schema) -> str:
    meaning = json.dumps(
        {"voen": voen, "body": body.model_dump(mode="json")}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(meaning.encode()).hexdigest()


def _batch_key(client: ApiClient, key: str) -> str:
    return "api:" + hashlib.sha256(f"{client.pk}\0{key}".encode()).hexdigest()[:56]


def _draft(contract: ContractIn) -> ContractDraft:
    return ContractDraft(
        employee_fin=contract.employee_fin,
        occupation_code=contract.occupation_code,
        position=contract.position,
        workplace=contract.workplace,
        monthly_wage_qepik=contract.monthly_wage_qepik,
        weekly_hours=contract.weekly_hours,
        term=contract.term,
        fixed_end_on=contract.fixed_end_on,
        probation_months=contract.probation_months,
        concluded_on=contract.concluded_on,
        start_on=contract.start_on,
        is_main_job=contract.is_main_job,
    )


def _answer(batch: NotificationBatch, *, status: int) -> tuple[int, dict[str, Any]]:
    problems = [p for p in batch.problems if isinstance(p, dict)]
    if problems and not batch.registered:
        raise ApplicationProblem(
            "invalid-input",
            422,
            _("No notification was registered: correct the problems and send the batch again."),
            errors=problems,
        )
    contracts = list(
        _contracts(batch.employer).filter(versions__batch=batch, versions__number=1).order_by("id")
    )
    body = {
        "batch": batch.pk,
        "mode": batch.mode,
        "rows": batch.rows,
        "registered": batch.registered,
        "refused": batch.refused,
        "contracts": contracts,
        "problems": problems,
    }
    return status, body


@router.post(
    "/employers/{voen}/contracts",
    response={
        200: BatchOut,
        201: BatchOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        400: Problem,
        422: ContractsProblem,
        429: Problem,
    },
    summary="Notify the conclusion of employment contracts (scope employers:contracts)",
    description=(
        "At most 1 000 notifications a call. Send an `Idempotency-Key` header (8–128 printable "
        "characters, e.g. a UUID) with each new batch: the same key again answers with the "
        "first outcome (200) and registers nothing; the same key with another batch is refused "
        "(422). Problems name the notification's index in `contracts`, the field and a code "
        "(the same codes as an uploaded file's error report). When nothing is registered the "
        "answer is 422 with the problems in `errors`."
    ),
    operation_id="contracts_notify",
    auth=ClientBearer(Scope.EMPLOYERS_CONTRACTS),
)
def contracts_notify(
    request: HttpRequest,
    voen: str,
    body: ContractsIn,
    idempotency_key: Annotated[IdempotencyKey, Header(alias="Idempotency-Key")],
) -> tuple[int, dict[str, Any]]:
    client = calling_client(request)
    employer = _employer(client, voen)
    fingerprint = _fingerprint(employer.voen, body)
    earlier = _earlier(client, idempotency_key, fingerprint)
    if earlier is not None:
        return _answer(earlier, status=200)
    read = ReadResult(
        drafts=[_draft(c) for c in body.contracts],
        rows=list(range(len(body.contracts))),
        total_rows=len(body.contracts),
    )
    try:
        registered = upload_register(
            employer=employer,
            read=read,
            actor=None,
            assurance=Assurance.API_CLIENT,
            mode=body.mode,
            file_name=f"API: {client.name}",
            idempotency_key=_batch_key(client, idempotency_key),
            column=str,  # the API names fields as they are (the wage in qəpik)
        )
    except NotificationRefused as refused:
        raise _conflict(refused.problems) from None
    try:
        with transaction.atomic():
            ApiContractsCall.objects.create(
                client=client,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
                batch=registered.batch,
            )
    except IntegrityError:
        # The same request twice at once: both reached the same batch (its key is unique).
        pass
    return _answer(registered.batch, status=201)


def _earlier(client: ApiClient, key: str, fingerprint: str) -> NotificationBatch | None:
    call = (
        ApiContractsCall.objects.select_related("batch__employer")
        .filter(client=client, idempotency_key=key)
        .first()
    )
    if call is None:
        return None
    if call.fingerprint != fingerprint:
        raise ApplicationProblem(
            "idempotency-key-reused",
            422,
            _("This Idempotency-Key was already used for a different request."),
        )
    return call.batch


def _conflict(problems: list[RegisterProblem]) -> ApplicationProblem:
    return ApplicationProblem(
        "invalid-input", 409, " ".join(p.message for p in problems) or _("Try again.")
    )


def _contract(employer: Employer, number: str) -> Contract:
    digits = number.removeprefix("ƏM-").removeprefix("ЭM-")
    contract = None
    if digits.isascii() and digits.isdigit() and len(digits) <= 12:
        contract = _contracts(employer).filter(pk=int(digits)).first()
    if contract is None:
        raise ApplicationProblem(
            "not-found", 404, _("This employer has no contract with this number.")
        )
    return contract


@router.post(
    "/employers/{voen}/contracts/{number}/termination",
    response={
        200: ContractOut,
        401: Problem,
        403: Problem,
        404: Problem,
        400: Problem,
        422: ContractsProblem,
        429: Problem,
    },
    summary="Notify the termination of a contract (scope employers:contracts)",
    description=(
        "The number as registered (ƏM-00000012, or its digits). The same termination sent "
        "again (the same day and ground) answers with the contract as it is; a contract "
        "already terminated otherwise is refused (422, code `terminated`)."
    ),
    operation_id="contract_terminate",
    auth=ClientBearer(Scope.EMPLOYERS_CONTRACTS),
)
def contract_termination(
    request: HttpRequest,
    voen: str,
    number: str,
    body: TerminationIn,
    idempotency_key: Annotated[IdempotencyKey, Header(alias="Idempotency-Key")],
) -> Contract:
    client = calling_client(request)
    contract = _contract(_employer(client, voen), number)
    ground = TerminationGround.objects.filter(code=body.ground, is_active=True).first()
    if ground is None:
        raise _refused(
            [RegisterProblem(0, "ground", "ground_unknown", _("Choose a ground from the list."))]
        )
    if (
        contract.status == ContractStatus.TERMINATED
        and contract.terminated_on == body.terminated_on
        and contract.termination_ground_id == ground.pk
    ):
        return contract  # sent again: the same outcome
    try:
        contract_terminate(
            contract=contract,
            on=body.terminated_on,
            ground=ground,
            actor=None,
            assurance=Assurance.API_CLIENT,
        )
    except NotificationRefused as refused:
        raise _refused(refused.problems) from None
    return _contracts(contract.employer).get(pk=contract.pk)


def _refused(problems: list[RegisterProblem]) -> ApplicationProblem:
    return ApplicationProblem(
        "invalid-input",
        422,
        " ".join(p.message for p in problems),
        errors=[p.as_dict() for p in problems],
    )


class ContractPages(BoundedPages):
    """A page of an employer's contracts; each contract on it is an audited read of its
    employee's data by the client (it shows in their "who looked at my data")."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Any, Any],
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = contracts = list(page["items"])
        client = calling_client(request)
        person_reads_record(
            actor_role="api_client",
            actor_institution=client.institution,
            reads=[(contract.person_id, contract) for contract in contracts],
            purpose="employer.contracts_list",
            request=request,
            details={"client": client.name, "operation": "contracts_list"},
        )
        return page


@router.get(
    "/employers/{voen}/contracts",
    response={200: list[ContractOut], 401: Problem, 403: Problem, 404: Problem, **PROBLEMS},
    summary="The employer's contracts, newest first (scope employers:contracts)",
    operation_id="contracts_list",
    auth=ClientBearer(Scope.EMPLOYERS_CONTRACTS),
)
@paginate(ContractPages)
def contracts_list(request: HttpRequest, voen: str, status: ContractStatus | None = None) -> Any:
    employer = _employer(calling_client(request), voen)
    contracts = _contracts(employer)
    if status:
        contracts = contracts.filter(status=status)
    return contracts.order_by("-registered_at", "-id")
