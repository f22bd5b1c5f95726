"""The employment service's demo (issue 16): a worker dismissed for staff reduction, vacancies.

A living adult of working age with at least three years of insurance record and a verified
phone — not one of the demo citizens printed first, nor the employer's head — has their main
contract ended by the demo employer for staff reduction (Labour Code Art. 70(b)) a few days
before the demo's day: the daily employment job then offers them the unemployment benefit by
letter. The demo employer and two others post open vacancies in that worker's occupation and
region (and a few more elsewhere), so the worker finds one, an employment officer
(`demo-employment`) refers them, and the employer records the hire. Idempotent: a second run
finds the dismissal and the vacancies and changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from meis.demo.employers import DEMO_VOEN, _as_demo_citizen
from meis.demo.people import DemoCitizen, demo_citizens
from meis.employment.models import Vacancy
from meis.employment.vacancies import vacancy_post
from meis.insurance.models import InsuranceAccount
from meis.labour.models import Assurance, Contract, ContractStatus, ContractTerm, TerminationGround
from meis.labour.services import contract_conclude, contract_terminate
from meis.labour.validation import ContractDraft
from meis.registry.models import Employer, IdentityDocument, Person
from meis.registry.selectors import document_valid_q

DISMISSAL_GROUND = "70.b"
DAYS_SINCE_DISMISSAL = 3
MINIMUM_RECORD_MONTHS = 36


@dataclass(frozen=True)
class DemoEmployment:
    dismissed: DemoCitizen | None
    employer_name: str
    vacancies: int


def employment_demo_load(*, on: datetime.date) -> DemoEmployment:
    employer = Employer.objects.filter(voen=DEMO_VOEN).first()
    if employer is None:
        return DemoEmployment(dismissed=None, employer_name="", vacancies=0)
    with transaction.atomic():
        contract = _dismissal(employer, on)
        vacancies = _vacancies(employer, contract, on) if contract else 0
    person = contract.person if contract else None
    return DemoEmployment(
        dismissed=_as_demo_citizen(person, on) if person else None,
        employer_name=employer.name,
        vacancies=vacancies,
    )


def _dismissal(employer: Employer, on: datetime.date) -> Contract | None:
    """The demo's dismissal for staff reduction, made once."""
    ground = TerminationGround.objects.get(code=DISMISSAL_GROUND)
    done = (
        Contract.objects.filter(employer=employer, termination_ground=ground)
        .select_related("person", "occupation")
        .first()
    )
    if done is not None:
        return done
    person = _worker(employer, on)
    if person is None:
        return None
    # The worker's main job at the demo employer since four years ago, as imported from the
    # earlier register, then ended: any other job they hold ends the day before it began.
    start_on = on.replace(year=on.year - 4, day=1)
    for other in Contract.objects.filter(
        person=person, status__in=(ContractStatus.ACTIVE, ContractStatus.SUSPENDED)
    ):
        contract_terminate(
            contract=other,
            on=max(other.start_on, start_on - datetime.timedelta(days=1)),
            ground=TerminationGround.objects.get(code="68.2.a"),
            actor=None,
            assurance=Assurance.REGISTER_IMPORT,
        )
    contract = contract_conclude(
        employer=employer,
        draft=ContractDraft(
            employee_fin=person.fin,
            occupation_code="4110",
            position="Ofis işçisi",
            workplace="Bakı, Neftçilər prospekti 100",
            monthly_wage_qepik=90_000,
            weekly_hours=40,
            term=ContractTerm.INDEFINITE,
            start_on=start_on,
            concluded_on=start_on,
        ),
        actor=None,
        assurance=Assurance.REGISTER_IMPORT,
    )
    return contract_terminate(
        contract=contract,
        on=on - datetime.timedelta(days=DAYS_SINCE_DISMISSAL),
        ground=ground,
        actor=None,
        assurance=Assurance.REGISTER_IMPORT,
    )


def _worker(employer: Employer, on: datetime.date) -> Person | None:
    taken = {c.fin for c in demo_citizens(on=on, count=3)}
    if employer.head_id is not None:
        taken.add(employer.head.fin)  # type: ignore[union-attr]
    latest_birth = on.replace(year=on.year - 25)
    earliest_birth = on.replace(year=on.year - 55)
    recorded = InsuranceAccount.objects.filter(record_months__gte=MINIMUM_RECORD_MONTHS).values(
        "person_id"
    )
    documented = IdentityDocument.objects.filter(document_valid_q(on=on)).values("person_id")
    return (
        Person.objects.filter(
            died_on__isnull=True,
            birth_on__range=(earliest_birth, latest_birth),
            verified_phone__isnull=False,
            pk__in=recorded,
        )
        .filter(pk__in=documented)
        .exclude(fin__in=taken)
        .exclude(job_seeker_registrations__isnull=False)
        .order_by("pk")
        .first()
    )


# (title, employer is the demo one, salary in qəpik, weekly hours, in the worker's region)
_VACANCIES = (
    ("Ofis işçisi (mühasibat şöbəsi)", True, 95_000, 40, True),
    ("Sənəd dövriyyəsi üzrə mütəxəssis", False, 110_000, 40, True),
    ("Qəbul şöbəsində ofis işçisi", False, 80_000, 30, True),
    ("Ofis işçisi", False, 85_000, 40, False),
)


def _vacancies(employer: Employer, contract: Contract, on: datetime.date) -> int:
    if Vacancy.objects.filter(employer=employer).exists():
        return Vacancy.objects.filter(employer=employer).count()
    others = list(Employer.objects.exclude(pk=employer.pk).order_by("pk")[:3])
    region = contract.person.region
    written = 0
    for n, (title, is_demo, salary, hours, in_region) in enumerate(_VACANCIES):
        owner = employer if is_demo or not others else others[n % len(others)]
        vacancy_post(
            employer=owner,
            actor=None,
            client_institution="MEİS demo",  # posted as the employers' API clients would
            occupation=contract.occupation,
            title=title,
            description="Sənədlərlə iş, yazışma, müştərilərin qəbulu.",
            requirements="Orta ixtisas təhsili; kompüter bilikləri.",
            region=region if in_region else ("baku" if region != "baku" else "ganja_dashkasan"),
            workplace=owner.address or "Bakı",
            salary_qepik=salary,
            weekly_hours=hours,
            positions=1,
            closes_on=on + datetime.timedelta(days=30),
        )
        written += 1
    return written
