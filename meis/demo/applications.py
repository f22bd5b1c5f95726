"""Demo applications: an award granted on an application for each rules-backed service, and one
refusal to appeal.

`meis demo load` calls `applications_demo_load` after the registers' facts and before the
proactive run, which would otherwise grant the same people first. For each service whose
handler is a rules scheme (the `RulesHandler`s of `meis.catalog.handlers`), a demo person the
rules find eligible, and who holds no such award, applies on the portal as themselves
(`case_submit`: the answers and documents the service's form asks for, at the demo case
worker's centre); the demo case worker takes the case and approves it (`case_claim`,
`case_approve`), which grants the award (origin "case decision") and queues the letter. A
service outside the case worker's subsystems (the unemployment benefit is the employment
service's) is decided by the head of the same centre. One old-age pension applicant the rules
refuse (of pension age, too short a record) is refused on the rules' legal ground, so that a
demonstrator can sign in as them and appeal.

Applicants are people who can sign in (a verified phone, a valid identity document), else
anyone alive; each is checked first with the rules' result the case worker will see
(`meis.cases.selectors.case_rules_result`, over the registers' facts from `meis.eligibility`
and the answers), so that only applications that come out as wanted are filed.

Idempotent: each demo application has its own idempotency key. A service that already has an
award granted on an application, or the demo's case, is left as it is (a demo case left
undecided is taken up where it stopped). A service no demo person qualifies for is skipped,
and the command says why.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime
import functools
import io
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import pikepdf
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from meis.accounts.selectors import staff_profile_get
from meis.accounts.services import citizen_account_get_or_create
from meis.awards.models import EXCLUSIVITY_GROUPS, HELD_STATUSES, Award, AwardOrigin
from meis.cases.models import Case, CaseStatus, Channel, ContactChannel, DecisionOutcome
from meis.cases.reasons import rule_grounds
from meis.cases.selectors import case_rules_result
from meis.cases.services import (
    CaseActionError,
    CaseInvalid,
    answers_clean,
    case_approve,
    case_claim,
    case_reject,
    case_submit,
)
from meis.cases.services.awarding import award_kind
from meis.catalog.handlers import PreCheck, PreCheckOutcome, RulesHandler, handler_resolve
from meis.catalog.models import EServiceVersion
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.centres.models import ServiceCentre
from meis.eligibility.selectors import facts_gather
from meis.employment.models import Education, SeekerStatus
from meis.employment.selectors import registration_check
from meis.employment.services import Profile
from meis.jobcentre.services import job_seeker_register
from meis.lifeevents.models import Birth, DisabilityDecision, DisabilityDegree, HouseholdMeans
from meis.registry.models import (
    Household,
    HouseholdMembership,
    IdentityDocument,
    Person,
    Relation,
)
from meis.registry.selectors import document_valid_q
from meis.rules.store import default_store

KEY_PREFIX = "demo-application"
CASE_WORKER = "demo-caseworker"
CENTRE_HEAD = "demo-centre-head"
# How many people of each pool (who can sign in; everyone else) are tried for one service.
CANDIDATES = 300
SCANNING_LOGGER = "meis.cases.services.documents"


@functools.cache
def _demo_pdf() -> bytes:
    """A one-page blank PDF: uploads are parsed (ADR 0023), so the demo's documents are real."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


@dataclass(frozen=True)
class Applicant:
    """Who applies, and what they answer beyond the contact and the account for payment."""

    person: Person
    answers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Wanted:
    """One demo application: a service, the decision it should get, who may apply."""

    service: str  # the catalogue's code
    outcome: str  # DecisionOutcome
    applicants: Callable[[datetime.date], Iterator[Applicant]]
    # What every applicant answers besides the contact and the account (what no register holds).
    answers: Mapping[str, str] = field(default_factory=dict)
    # The reasons of a refusal the demo wants (the rules' unmet requirements and refusals).
    refused_for: tuple[str, ...] = ()
    # Approved with something to collect in person (issue 18's pickup by prior notice).
    handover_in_person: bool = False

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}:{self.service}:{self.outcome}"


class Skipped(Exception):  # noqa: N818 — reads as what happened to the application
    """No demo application for a service, and why."""


@dataclass(frozen=True)
class DemoApplication:
    reference: str
    service: str
    fin: str
    document_number: str
    outcome: str


@dataclass(frozen=True)
class ApplicationsResult:
    centre: str  # where they were filed, in English
    filed: int
    applications: list[DemoApplication]
    skipped: list[tuple[str, str]]  # (service, why)


# -- who may apply ---------------------------------------------------------------------------


def _months_before(on: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(on.day, calendar.monthrange(year, month + 1)[1]))


def _years_before(on: datetime.date, years: int) -> datetime.date:
    return _months_before(on, 12 * years)


def _people(on: datetime.date, condition: Q) -> Iterator[Person]:
    """Living people meeting `condition`: first those who can sign in, then the others."""
    alive = Person.objects.filter(condition, died_on__isnull=True).distinct()
    valid = IdentityDocument.objects.filter(document_valid_q(on=on)).values("person_id")
    can_sign_in = Q(verified_phone__isnull=False, pk__in=valid)
    yield from alive.filter(can_sign_in).order_by("pk")[:CANDIDATES]
    yield from alive.exclude(can_sign_in).order_by("pk")[:CANDIDATES]


def _adults(on: datetime.date) -> Q:
    return Q(birth_on__lte=_years_before(on, 18))


def _of_pension_age(on: datetime.date) -> Iterator[Applicant]:
    for person in _people(on, Q(birth_on__lte=_years_before(on, 60))):
        yield Applicant(person)


def _disabled_adults(on: datetime.date) -> Iterator[Applicant]:
    decisions = DisabilityDecision.objects.exclude(degree=DisabilityDegree.CHILD)
    for person in _people(on, Q(pk__in=decisions.values("person_id"))):
        yield Applicant(person)


def _family_heads_with_means(on: datetime.date) -> Iterator[Applicant]:
    households = HouseholdMeans.objects.values("household_id")
    heads = HouseholdMembership.objects.filter(
        left_on__isnull=True, relation=Relation.HEAD, household_id__in=households
    )
    for person in _people(on, Q(pk__in=heads.values("person_id"))):
        yield Applicant(person)


def _bereaved_adults(on: datetime.date) -> Iterator[Applicant]:
    """Adults of a household one of whose members has died."""
    bereaved = Household.objects.filter(memberships__person__died_on__lte=on)
    members = HouseholdMembership.objects.filter(left_on__isnull=True, household__in=bereaved)
    for person in _people(on, _adults(on) & Q(pk__in=members.values("person_id"))):
        yield Applicant(person)


def _recent_parents(on: datetime.date) -> Iterator[Applicant]:
    """Parents of a child born within the period a birth benefit is still paid for."""
    months = int(str(default_store().value("social_benefits.back_payment_months", on=on)))
    births = Birth.objects.filter(born_on__lte=on, born_on__gt=_months_before(on, months))
    parents = Q(pk__in=births.values("mother_id")) | Q(pk__in=births.values("father_id"))
    for person in _people(on, parents):
        yield Applicant(person)


def _parents_of_disabled_children(on: datetime.date) -> Iterator[Applicant]:
    """A parent (by birth, or the head or spouse of the child's household) naming the child,
    for each child whose registered facts the rules accept."""
    decisions = DisabilityDecision.objects.filter(degree=DisabilityDegree.CHILD, decided_on__lte=on)
    children = Person.objects.filter(
        pk__in=decisions.values("person_id"), died_on__isnull=True
    ).order_by("pk")
    handler = RulesHandler("disabled_child_benefit")
    parents: dict[int, Person] = {}
    for child in children:
        sheet = facts_gather(scheme="disabled_child_benefit", person=child, on=on)
        if handler.evaluate(sheet.values(), on=on).outcome != PreCheckOutcome.ELIGIBLE:
            continue
        for parent_id in _parent_ids(child):
            parents.setdefault(parent_id, child)
    for person in _people(on, _adults(on) & Q(pk__in=list(parents))):
        yield Applicant(person, {"child_fin": parents[person.pk].fin})


def _parent_ids(child: Person) -> list[int]:
    birth = Birth.objects.filter(child=child).values_list("mother_id", "father_id").first()
    by_birth = [parent for parent in birth or () if parent is not None]
    household = HouseholdMembership.objects.filter(person=child, left_on__isnull=True).values(
        "household_id"
    )
    carers = HouseholdMembership.objects.filter(
        household_id__in=household,
        left_on__isnull=True,
        relation__in=[Relation.HEAD, Relation.SPOUSE],
    ).exclude(person=child)
    return by_birth + list(carers.values_list("person_id", flat=True))


def _registered_unemployed(on: datetime.date) -> Iterator[Applicant]:
    """Adults under 60 with an insurance record, each registered as unemployed with the
    employment service first (the benefit's requirement, read from that register); only the one
    the rules accept applies, so a registration is made for each candidate looked at."""
    working_age = _adults(on) & Q(birth_on__gt=_years_before(on, 60))
    for person in _people(on, working_age & Q(insurance_account__record_months__gt=0)):
        if _unemployed_registration(person, on):
            yield Applicant(person)


def _unemployed_registration(person: Person, on: datetime.date) -> bool:
    """The person's open registration as unemployed, made now when the registers allow it."""
    check = registration_check(person=person, on=on)
    if check.open_registration is not None:
        return check.open_registration.status == SeekerStatus.UNEMPLOYED
    if check.status != SeekerStatus.UNEMPLOYED:
        return False
    job_seeker_register(
        person=person,
        profile=Profile(education=Education.FULL_SECONDARY),
        actor=citizen_account_get_or_create(person=person),
    )
    return True


WANTED: tuple[Wanted, ...] = (
    Wanted("targeted-social-assistance", DecisionOutcome.APPROVE, _family_heads_with_means),
    # The pensioner's certificate (pensiya vəsiqəsi) is collected at the centre, by appointment.
    Wanted("old-age-pension", DecisionOutcome.APPROVE, _of_pension_age, handover_in_person=True),
    Wanted("disability-pension", DecisionOutcome.APPROVE, _disabled_adults),
    Wanted("age-benefit", DecisionOutcome.APPROVE, _of_pension_age),
    Wanted("disability-benefit", DecisionOutcome.APPROVE, _disabled_adults),
    Wanted("disabled-child-benefit", DecisionOutcome.APPROVE, _parents_of_disabled_children),
    Wanted("survivor-benefit", DecisionOutcome.APPROVE, _bereaved_adults),
    Wanted("childbirth-benefit", DecisionOutcome.APPROVE, _recent_parents),
    Wanted(
        "funeral-benefit",
        DecisionOutcome.APPROVE,
        _bereaved_adults,
        answers={"has_other_funeral_payment": "no"},
    ),
    # Registered as unemployed first; the dismissal and the wages are declared, as for a
    # dismissal the contracts register does not hold (the demo's register is generated later).
    Wanted(
        "unemployment-insurance-benefit",
        DecisionOutcome.APPROVE,
        _registered_unemployed,
        answers={
            "dismissal_ground": "staff_reduction",
            "wages_12_months_qepik": "7200",  # 600 manat a month
        },
    ),
    # Of pension age, with too short a record: the refusal a demonstrator can appeal.
    Wanted(
        "old-age-pension",
        DecisionOutcome.REJECT,
        _of_pension_age,
        refused_for=("has_pension_right",),
    ),
)


# -- filing and deciding ---------------------------------------------------------------------


def applications_demo_load(*, on: datetime.date) -> ApplicationsResult:
    """File and decide the demo applications (idempotent); the lines `meis demo load` prints."""
    officers = _officers()
    filed, cases, skipped = 0, [], []
    demo_cases = Case.objects.filter(idempotency_key__startswith=f"{KEY_PREFIX}:")
    taken = set(demo_cases.values_list("person_id", flat=True))
    for wanted in WANTED:
        try:
            case, created = _filed_and_decided(wanted, officers, taken=taken, on=on)
        except Skipped as why:
            skipped.append((wanted.service, str(why)))
            continue
        filed += created
        taken.add(case.person_id)
        cases.append(case)
    centre = officers.centre.name_en if officers is not None else ""
    lines = [_line(case, on=on) for case in cases]
    return ApplicationsResult(centre, filed, lines, skipped)


@dataclass(frozen=True)
class Officers:
    """The demo case worker (whose centre takes the applications) and the head of that centre."""

    worker: User
    head: User
    centre: ServiceCentre
    subsystems: tuple[str, ...]

    def deciding(self, case: Case) -> User:
        """The case worker for a case of their subsystems, the centre head for any other."""
        return self.worker if case.subsystem in self.subsystems else self.head


def _officers() -> Officers | None:
    worker = User.objects.filter(username=CASE_WORKER).first()
    head = User.objects.filter(username=CENTRE_HEAD).first()
    profile = staff_profile_get(user=worker) if worker is not None else None
    if worker is None or head is None or profile is None or profile.centre is None:
        return None
    return Officers(worker, head, profile.centre, tuple(profile.subsystems or ()))


def _filed_and_decided(
    wanted: Wanted, officers: Officers | None, *, taken: set[int], on: datetime.date
) -> tuple[Case, bool]:
    """The demo's case for `wanted`, decided (True: filed now); `Skipped` saying why not.

    Filed and decided in one transaction: an application the engine will not decide as the
    rules find is not left behind, nor its uploads. Its refusal is told in English, as the
    command speaks (each letter is in its applicant's language whatever this is)."""
    if officers is None:
        raise Skipped(f"the demo staff ({CASE_WORKER}, {CENTRE_HEAD}) or their centre are missing")
    stored: list[str] = []
    try:
        with translation.override("en"), transaction.atomic():
            case, created = _application(wanted, centre=officers.centre, taken=taken, on=on)
            if created:
                stored = list(case.documents.values_list("storage_name", flat=True))
            return _decided(case, wanted, officer=officers.deciding(case)), created
    except (CaseActionError, CaseInvalid) as error:
        for name in stored:
            default_storage.delete(name)
        raise Skipped(f"the case engine refuses the decision: {error}") from None


def _application(
    wanted: Wanted, *, centre: ServiceCentre, taken: set[int], on: datetime.date
) -> tuple[Case, bool]:
    """The demo's case for `wanted` (True: filed now): its own, the case of an award granted
    on an application already, or one filed for the first applicant the rules find as wanted;
    `Skipped` when there is none."""
    existing = Case.objects.filter(idempotency_key=wanted.key).first()
    if existing is not None:
        return existing, False
    try:
        version = eservice_version_current(code=wanted.service)
    except EServiceVersion.DoesNotExist:
        raise Skipped("the catalogue has no active version of this service") from None
    kind = award_kind(scheme=_scheme(version), service_code=wanted.service)
    if wanted.outcome == DecisionOutcome.APPROVE:
        granted = Award.objects.filter(kind=kind, origin=AwardOrigin.CASE_DECISION).first()
        if granted is not None:
            case = Case.objects.filter(reference=granted.origin_reference).first()
            if case is None:
                raise Skipped(f"award {granted.pk} was granted on an application already")
            return case, False
    for applicant in wanted.applicants(on):
        person = applicant.person
        if person.pk in taken or _holds(person, kind):
            continue
        answers = {**_contact_answers(person), **wanted.answers, **applicant.answers}
        if _comes_out_as_wanted(wanted, version, person, answers, on=on):
            return _file(wanted, version, person, answers, centre=centre), True
    if wanted.outcome == DecisionOutcome.APPROVE:
        raise Skipped("no demo person without this award is eligible for it")
    raise Skipped("no demo person is refused it on the grounds the demo wants")


def _scheme(version: EServiceVersion) -> str:
    handler = handler_resolve(version_definition(version).handler)
    if not isinstance(handler, RulesHandler):
        raise CaseActionError(f"{version_definition(version).code} has no rules")
    return handler.scheme


def _holds(person: Person, kind: str) -> bool:
    """Holds the award, or one the law does not let them hold with it (or their family does)."""
    group = EXCLUSIVITY_GROUPS.get(kind, "")
    same = Q(kind=kind) | Q(exclusivity_group=group) if group else Q(kind=kind)
    households = HouseholdMembership.objects.filter(person=person, left_on__isnull=True)
    held_by = Q(person=person) | Q(household_id__in=households.values("household_id"))
    return Award.objects.filter(same, held_by, status__in=HELD_STATUSES).exists()


def _contact_answers(person: Person) -> dict[str, str]:
    return {
        "contact_phone": person.verified_phone or "+994501234567",
        "bank_account_iban": _iban(person.pk),
    }


def _iban(number: int) -> str:
    """A valid Azerbaijani IBAN for a demo account (ISO 13616 check digits)."""
    body = f"NABZ{number:020d}"
    digits = "".join(str(int(c, 36)) for c in body + "AZ00")
    return f"AZ{98 - int(digits) % 97:02d}{body}"


def _comes_out_as_wanted(
    wanted: Wanted,
    version: EServiceVersion,
    person: Person,
    answers: Mapping[str, str],
    *,
    on: datetime.date,
) -> bool:
    """What the rules will say of the application (the case worker's `case_rules_result`, on
    the application as it would be filed) is the outcome the demo wants."""
    try:
        cleaned = answers_clean(version=version, data=answers)
    except CaseInvalid:
        return False
    prospective = Case(person=person, service_version=version, answers=cleaned, submitted_on=on)
    result = case_rules_result(prospective, on=on)
    if wanted.outcome == DecisionOutcome.APPROVE:
        return result.outcome == PreCheckOutcome.ELIGIBLE and bool(result.amount_qepik)
    return result.outcome == PreCheckOutcome.NOT_ELIGIBLE and _refused_for(result, wanted)


def _refused_for(result: PreCheck, wanted: Wanted) -> bool:
    return not wanted.refused_for or tuple(result.reasons) == wanted.refused_for


def _file(
    wanted: Wanted,
    version: EServiceVersion,
    person: Person,
    answers: Mapping[str, str],
    *,
    centre: ServiceCentre,
) -> Case:
    """The citizen applies on the portal, with the documents the service asks for."""
    documents = [
        (document.code, SimpleUploadedFile(f"{document.code}.pdf", _demo_pdf(), "application/pdf"))
        for document in version_definition(version).documents
        if document.required
    ]
    phone = person.verified_phone
    with _unscanned_quietly():
        return case_submit(
            person=person,
            version=version,
            answers=answers,
            channel=Channel.PORTAL,
            actor=citizen_account_get_or_create(person=person),
            centre=centre,
            contact_channel=ContactChannel.SMS if phone else ContactChannel.PORTAL,
            contact_value=phone or "",
            idempotency_key=wanted.key,
            documents=documents,
        ).case


@contextlib.contextmanager
def _unscanned_quietly() -> Iterator[None]:
    """Without a virus scanner (a laptop), each upload logs that it was not scanned; the demo's
    own one-line PDFs keep that out of the command's output (each still records it)."""
    log = logging.getLogger(SCANNING_LOGGER)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _decided(case: Case, wanted: Wanted, *, officer: User) -> Case:
    """The officer takes the case and decides it as the rules find (nothing if decided)."""
    if case.status == CaseStatus.SUBMITTED:
        case = case_claim(case=case, actor=officer, expected_version=case.version)
    if case.status != CaseStatus.IN_REVIEW:
        return case
    if wanted.outcome == DecisionOutcome.APPROVE:
        return case_approve(
            case=case,
            actor=officer,
            expected_version=case.version,
            is_handover_in_person=wanted.handover_in_person,
        )
    grounds = rule_grounds(wanted.service, case_rules_result(case).trace)
    return case_reject(
        case=case,
        actor=officer,
        reason=grounds[0] if grounds else "conditions_not_met",
        expected_version=case.version,
    )


# -- what the command prints -----------------------------------------------------------------


def _line(case: Case, *, on: datetime.date) -> DemoApplication:
    """The case, with the document its applicant signs in with (else their latest)."""
    documents = IdentityDocument.objects.filter(person=case.person).order_by("-issued_on")
    document = documents.filter(document_valid_q(on=on)).first() or documents.first()
    return DemoApplication(
        reference=case.reference,
        service=version_definition(case.service_version).code,
        fin=case.person.fin,
        document_number=document.number if document is not None else "",
        outcome=str(case.status),
    )
