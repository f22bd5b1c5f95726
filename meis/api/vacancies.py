"""Vacancies through the API: the public search (open, limited per address like the rules
endpoints) and, for an employer's system, posting and withdrawing its vacancies.

Posting and withdrawing need the scope employers:contracts and a binding of the client to the
employer (`ApiClientEmployer`), as the contract endpoints do: any other VÖEN, and any vacancy of
another employer, is "not found". A POST needs an `Idempotency-Key`: the same key with the same
vacancy answers with the vacancy first posted (200) and posts nothing; with another vacancy it
is refused (422). The key is a row (`ApiVacancyCall`) written in the transaction that posts the
vacancy, so a key posts at most once, even twice at once, and outlives any cache.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Annotated, Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema

from meis.api.applications import ApplicationProblem
from meis.api.clients import ClientBearer, calling_client
from meis.api.fields import IdempotencyKey, IsoDay
from meis.api.models import ApiClient, ApiClientEmployer, ApiVacancyCall, Scope
from meis.api.rules import PROBLEMS, Problem
from meis.employment.models import Vacancy
from meis.employment.search import (
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    vacancy_get_open,
    vacancy_of_employer,
    vacancy_search,
)
from meis.employment.vacancies import LIMITS, VacancyRefused, vacancy_post, vacancy_withdraw
from meis.labour.models import Occupation
from meis.registry.models import Employer, Region

router = Router(tags=["Vacancies"])


class VacancyOut(Schema):
    id: int
    title: str
    employer: str = Field(description="The employer's name.")
    employer_voen: str
    occupation_code: str
    region: str = Field(description="The economic region's code, e.g. baku.")
    workplace: str
    salary_qepik: int = Field(description="Monthly salary before tax, qəpik (1 AZN = 100).")
    weekly_hours: int
    positions: int
    description: str
    requirements: str
    closes_on: datetime.date
    status: str = Field(description="open, filled, expired or withdrawn.")
    posted_at: datetime.datetime

    @staticmethod
    def resolve_employer(vacancy: Vacancy) -> str:
        return vacancy.employer.name

    @staticmethod
    def resolve_employer_voen(vacancy: Vacancy) -> str:
        return vacancy.employer.voen

    @staticmethod
    def resolve_occupation_code(vacancy: Vacancy) -> str:
        return vacancy.occupation.code


class SearchOut(Schema):
    total: int = Field(description="Vacancies found, counted up to 10 000.")
    is_total_capped: bool = Field(description="True when more than `total` match.")
    page: int
    per_page: int
    items: list[VacancyOut]


class SearchIn(Schema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="Words; ə, ş… are optional.")
    region: Region | None = None
    occupation: str = Field("", max_length=8, description="The occupation classifier's code.")
    min_salary_qepik: int | None = Field(None, ge=0, le=10**11)
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


class VacancyIn(Schema):
    title: str = Field(max_length=LIMITS["title"])
    occupation_code: str = Field(max_length=8)
    region: Region
    workplace: str = Field(max_length=LIMITS["workplace"])
    salary_qepik: int = Field(ge=1, le=10**11, description="Monthly, before tax, in qəpik.")
    weekly_hours: int = Field(ge=1, le=40)
    positions: int = Field(1, ge=1, le=999)
    closes_on: IsoDay = Field(description="After today, at most about six months ahead.")
    description: str = Field("", max_length=LIMITS["description"])
    requirements: str = Field("", max_length=LIMITS["requirements"])


class VacancyProblem(Problem):
    errors: list[dict[str, str]] | None = None


@router.get(
    "/vacancies",
    response={200: SearchOut, **PROBLEMS},
    summary="Search the open vacancies (open to anyone)",
    description=(
        "Newest first, or by relevance when words are given. Every filter narrows the search; "
        "a page past the last is empty."
    ),
    operation_id="vacancies_search",
)
def vacancies_search(request: HttpRequest, filters: Query[SearchIn]) -> dict[str, Any]:
    page = vacancy_search(
        text=filters.q.replace("\x00", ""),
        region=filters.region.value if filters.region else "",
        occupation_code=filters.occupation,
        min_salary_qepik=filters.min_salary_qepik,
        page=filters.page,
        per_page=filters.per_page,
    )
    return {
        "total": page.total,
        "is_total_capped": page.is_total_capped,
        "page": page.number,
        "per_page": page.per_page,
        "items": page.items,
    }


@router.get(
    "/vacancies/{vacancy_id}",
    response={200: VacancyOut, 404: Problem, **PROBLEMS},
    summary="An open vacancy (open to anyone)",
    operation_id="vacancy_read",
)
def vacancy_read(request: HttpRequest, vacancy_id: int) -> Vacancy:
    vacancy = vacancy_get_open(vacancy_id=vacancy_id)
    if vacancy is None:
        raise ApplicationProblem("not-found", 404, _("There is no open vacancy with this number."))
    return vacancy


@router.post(
    "/employers/{voen}/vacancies",
    response={
        200: VacancyOut,
        201: VacancyOut,
        400: Problem,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        422: VacancyProblem,
        429: Problem,
    },
    summary="Post a vacancy for the employer (scope employers:contracts)",
    description=(
        "Send an `Idempotency-Key` (8–128 printable characters, e.g. a UUID) with each new "
        "vacancy: the same key again answers with the vacancy first posted (200) and posts "
        "nothing; with another vacancy it is refused (422). A salary below the minimum wage "
        "for the hours is refused (422) with the minimum in the message."
    ),
    operation_id="vacancy_post",
    auth=ClientBearer(Scope.EMPLOYERS_CONTRACTS),
)
def vacancy_create(
    request: HttpRequest,
    voen: str,
    body: VacancyIn,
    idempotency_key: Annotated[IdempotencyKey, Header(alias="Idempotency-Key")],
) -> tuple[int, Vacancy]:
    client = calling_client(request)
    employer = _employer(client, voen)
    fingerprint = _fingerprint(employer.voen, body)
    earlier = _earlier(client, idempotency_key, fingerprint)
    if earlier is not None:
        return 200, _own(employer, earlier)
    occupation = Occupation.objects.filter(code=body.occupation_code, is_active=True).first()
    try:
        if occupation is None:
            raise VacancyRefused({"occupation_code": _("Choose an occupation from the list.")})
        with transaction.atomic():
            vacancy = vacancy_post(
                employer=employer,
                actor=None,
                client_institution=client.institution,
                occupation=occupation,
                title=body.title,
                description=body.description,
                requirements=body.requirements,
                region=body.region.value,
                workplace=body.workplace,
                salary_qepik=body.salary_qepik,
                weekly_hours=body.weekly_hours,
                positions=body.positions,
                closes_on=body.closes_on,
                request=request,
            )
            ApiVacancyCall.objects.create(
                client=client,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
                vacancy=vacancy,
            )
    except VacancyRefused as refused:
        raise _refused(refused) from None
    except IntegrityError:
        # The same key twice at once: the other request posted; this one's vacancy is undone.
        earlier = _earlier(client, idempotency_key, fingerprint)
        if earlier is None:
            raise
        return 200, _own(employer, earlier)
    return 201, _own(employer, vacancy.pk)


def _earlier(client: ApiClient, key: str, fingerprint: str) -> int | None:
    """The vacancy this client posted under `key`; the key with another request is refused."""
    call = ApiVacancyCall.objects.filter(client=client, idempotency_key=key).first()
    if call is None:
        return None
    if call.fingerprint != fingerprint:
        raise ApplicationProblem(
            "idempotency-key-reused",
            422,
            _("This Idempotency-Key was already used for a different request."),
        )
    return call.vacancy_id


@router.post(
    "/employers/{voen}/vacancies/{vacancy_id}/withdraw",
    response={200: VacancyOut, 401: Problem, 403: Problem, 404: Problem, 422: VacancyProblem},
    summary="Withdraw the employer's vacancy (scope employers:contracts)",
    description="Withdrawing a withdrawn vacancy again answers with it as it is.",
    operation_id="vacancy_withdraw",
    auth=ClientBearer(Scope.EMPLOYERS_CONTRACTS),
)
def vacancy_withdrawal(request: HttpRequest, voen: str, vacancy_id: int) -> Vacancy:
    client = calling_client(request)
    employer = _employer(client, voen)
    vacancy = _own(employer, vacancy_id)
    try:
        vacancy_withdraw(
            vacancy=vacancy, actor=None, client_institution=client.institution, request=request
        )
    except VacancyRefused as refused:
        raise _refused(refused) from None
    return _own(employer, vacancy_id)


def _employer(client: ApiClient, voen: str) -> Employer:
    binding = (
        ApiClientEmployer.objects.select_related("employer")
        .filter(client=client, employer__voen=voen[:32])
        .first()
    )
    if binding is None:
        raise ApplicationProblem("not-found", 404, _("This client does not act for this employer."))
    return binding.employer


def _own(employer: Employer, vacancy_id: int) -> Vacancy:
    vacancy = vacancy_of_employer(employer_id=employer.pk, vacancy_id=vacancy_id)
    if vacancy is None:
        raise ApplicationProblem(
            "not-found", 404, _("This employer has no vacancy with this number.")
        )
    return vacancy


def _refused(refused: VacancyRefused) -> ApplicationProblem:
    return ApplicationProblem(
        "invalid-input",
        422,
        " ".join(refused.problems.values()),
        errors=[
            {"field": f"body.{name}" if name else "", "message": message}
            for name, message in refused.problems.items()
        ],
    )


def _fingerprint(voen: str, body: Schema) -> str:
    meaning = json.dumps(
        {"voen": voen, "body": body.model_dump(mode="json")}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(meaning.encode()).hexdigest()
