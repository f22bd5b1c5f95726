"""Facts from the registers, one gatherer per rules-backed scheme: `facts_gather`.

Each gatherer reads what the scheme's rule needs for one person (or their household) on a date
and names each fact as the scheme does (`meis rules list`). The registers are read as they
stand — the current household, the account's totals — and `on` dates the rule and the windows
(the last 24 months of contributions, a birth still payable). The set-based proactive SQL
(`meis.proactive.sources`) reads the same columns the same way; `tests/test_same_facts.py`
checks that both give the same facts for sampled people.

The unemployment benefit reads the dismissal and the wages before it from the contracts register
(`meis.labour`) and the registration from the employment service's (`meis.employment`);
targeted assistance counts the suitable jobs a member refused by the larger of the means
register's figure and the employment service's referrals (`refused_jobs_by_household`, which
the proactive source uses too).

Where a register has no row, a count is zero (no births recorded: no children born) but a date
or a degree is missing (no disability decision: no disability date) and is left for the citizen
to declare or the case worker to complete; a note says which register was silent.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl
from django.db.models import Count, Q, QuerySet
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from meis.awards.models import Award, AwardKind, AwardStatus
from meis.core import bulk
from meis.core.identifiers import InvalidIdentifier
from meis.eligibility.sheet import FactSheet, MergedFacts, Note, RegistryFact, facts_merge
from meis.employment.models import OPEN_STATES, JobSeeker, Referral, ReferralOutcome, SeekerStatus
from meis.insurance.models import Contribution, InsuranceAccount
from meis.labour import income
from meis.labour.models import Contract, ContractStatus, TerminationGround
from meis.lifeevents.models import Birth, DisabilityDecision, DisabilityDegree, HouseholdMeans
from meis.registry.models import HouseholdMembership, Person, Relation, Sex
from meis.registry.selectors import person_get_by_fin
from meis.rules.engine import evaluate_case
from meis.rules.errors import FactError
from meis.rules.explain import format_date, format_money
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store
from meis.veterans.models import StipendCategory, StipendStatus

POPULATION = "population_register"
HOUSEHOLDS = "household_register"
ACCOUNT = "insurance_account"
CONTRIBUTIONS = "insurance_contributions"
DECISIONS = "disability_decisions"
BIRTHS = "births"
MEANS = "household_means"
AWARDS = "awards"
CONTRACTS = "contracts_register"
EMPLOYMENT = "employment_register"
VETERANS = "veterans_registers"
# Kept beside the scheme's facts (the sheet's context, an award's record): what the register
# alone says the family earned, whichever figure was counted.
EMPLOYMENT_INCOME = "employment_income_12_months_qepik"
MEANS_FACTS = (
    "income_12_months_qepik",
    "declaration_matches_checks",
    "purchases_sales_12_months_qepik",
    "has_vehicle",
    "refused_suitable_jobs",
    "utility_spending_12_months_qepik",
    "same_purpose_real_estate_units",
)


class EligibilityError(LookupError):
    """A scheme for which no register gathers facts."""


def facts_gather(*, scheme: str, person: Person, on: datetime.date) -> FactSheet:
    """The registers' facts for `scheme` about `person` (or their household) on `on`."""
    try:
        gather = GATHERERS[scheme]
    except KeyError:
        known = ", ".join(sorted(GATHERERS))
        raise EligibilityError(f"no registry facts for {scheme!r} (known: {known})") from None
    return gather(person, on)


def application_facts(
    *, scheme: str, applicant: Person, answers: Mapping[str, Any], on: datetime.date
) -> MergedFacts:
    """An application's facts: the registers' about whom it is for, merged with the answers.

    The benefit for a disabled child is the child's: the parent names the child (`child_fin`),
    who must be their child by a birth record or a member of their household.
    """
    if scheme not in GATHERERS:  # a rule no register answers for: the answers alone
        sheet = _Sheet(scheme, applicant, on).done()
    elif scheme != "disabled_child_benefit":
        sheet = facts_gather(scheme=scheme, person=applicant, on=on)
    else:
        child, note = child_of_applicant(applicant=applicant, fin=str(answers.get("child_fin", "")))
        if child is None:
            sheet = _Sheet(scheme, None, on).note(note).done()
        else:
            sheet = facts_gather(scheme=scheme, person=child, on=on)
    return facts_merge(sheet, answers)


def child_of_applicant(*, applicant: Person, fin: str) -> tuple[Person | None, Note]:
    """The applicant's child with this FİN, or None and why not."""
    try:
        child = person_get_by_fin(fin=fin) if fin.strip() else None
    except InvalidIdentifier:
        child = None
    if child is None:
        return None, Note("child_not_found", _("No child with this FİN is in the register."))
    is_parent = Birth.objects.filter(child=child).filter(
        Q(mother=applicant) | Q(father=applicant)
    ).exists() or (
        HouseholdMembership.objects.filter(person=child, left_on__isnull=True)
        .filter(household__memberships__person=applicant, household__memberships__left_on=None)
        .exists()
    )
    if not is_parent:
        return None, Note(
            "child_not_related",
            _("The register links this child neither to you by birth nor to your household."),
        )
    return child, Note("child", _("The facts are the child's."))


# -- building a sheet ----------------------------------------------------------------------------


class _Sheet:
    def __init__(
        self, scheme: str, person: Person | None, on: datetime.date, household_id: int | None = None
    ) -> None:
        self.scheme, self.person, self.on, self.household_id = scheme, person, on, household_id
        self.facts: dict[str, RegistryFact] = {}
        self.notes: list[Note] = []
        self.context: dict[str, Any] = {}

    def put(self, name: str, value: Any, register: str) -> _Sheet:
        self.facts[name] = RegistryFact(value, register)
        return self

    def note(self, note: Note) -> _Sheet:
        self.notes.append(note)
        return self

    def done(self) -> FactSheet:
        names = [fact.name for fact in get_scheme(self.scheme).facts]
        return FactSheet(
            scheme=self.scheme,
            on=self.on,
            person_id=self.person.pk if self.person else None,
            household_id=self.household_id,
            facts={name: self.facts[name] for name in names if name in self.facts},
            to_declare=tuple(name for name in names if name not in self.facts),
            notes=tuple(self.notes),
            context=self.context,
        )


# -- the registers, one small read each ----------------------------------------------------------


def _sex(person: Person) -> str:
    return "male" if person.sex == Sex.MALE else "female"


def _membership(person: Person) -> HouseholdMembership | None:
    """The person's current household membership (the register as it stands)."""
    return HouseholdMembership.objects.filter(person=person, left_on__isnull=True).first()


def _put_account(sheet: _Sheet, person: Person, *names: str) -> None:
    """Record and capital from the individual account; no account is no record and no capital."""
    account = InsuranceAccount.objects.filter(person=person).first()
    if account is None:
        sheet.note(Note("no_insurance_account", _("No insurance account: no record, no capital.")))
    values = {
        "insurance_record_months": account.record_months if account else 0,
        "pension_capital_qepik": account.pension_capital_qepik if account else 0,
        "pre_2006_capital_qepik": account.pre_2006_capital_qepik if account else 0,
    }
    for name in names:
        sheet.put(name, values[name], ACCOUNT)


def _latest_decision(
    person: Person, on: datetime.date, *, child: bool
) -> DisabilityDecision | None:
    decisions = DisabilityDecision.objects.filter(person=person, decided_on__lte=on)
    if child:
        decisions = decisions.filter(degree=DisabilityDegree.CHILD)
    else:
        decisions = decisions.exclude(degree=DisabilityDegree.CHILD)
    return decisions.order_by("-decided_on", "-id").first()


NO_DECISION = Note(
    "no_disability_decision",
    _("No disability decision of the expert commission is in the register."),
)


def _rule_step(scheme: str, facts: Mapping[str, Any], on: datetime.date, step: str) -> Any:
    """One step of another scheme's rule over registry facts (a labour-pension right)."""
    result = evaluate_case(get_scheme(scheme), facts, on=on)
    return next(s["value"] for s in result.trace["steps"] if s["name"] == step)


def _put_derived(sheet: _Sheet, name: str, scheme: str, step: str, *inputs: str) -> None:
    """A fact another rule decides from registry facts already on the sheet."""
    if any(i not in sheet.facts for i in inputs):
        return
    facts = {i: sheet.facts[i].value for i in inputs}
    try:
        sheet.put(name, bool(_rule_step(scheme, facts, sheet.on, step)), f"rule:{scheme}")
    except FactError:
        return


def _months_before(on: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    index = on.year * 12 + on.month - 1 - months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(on.day, calendar.monthrange(year, month + 1)[1]))


def _months_after(day: datetime.date, months: int) -> datetime.date:
    return _months_before(day, -months)


def _parameter(name: str, on: datetime.date) -> int:
    return int(str(default_store().value(name, on=on)))


def _is_child_on(birth_on: datetime.date, on: datetime.date) -> bool:
    """Under the child age limit (18) on `on`, counted as the disabled-child rule counts it."""
    return on < _months_after(birth_on, _parameter("social_benefits.child_age_limit", on))


def _latest_births(
    births: QuerySet[Birth], on: datetime.date, since: datetime.date
) -> tuple[datetime.date | None, int]:
    """The latest birth day in [since, on] and the children born that day (twins count twice)."""
    days = list(
        births.filter(born_on__lte=on, born_on__gte=since).values_list("born_on", flat=True)
    )
    if not days:
        return None, 0
    latest = max(days)
    return latest, days.count(latest)


def _death_in_household(household_id: int, on: datetime.date) -> Person | None:
    """The member (present or past) of the household who died last, on or before `on`."""
    return (
        Person.objects.filter(
            memberships__household_id=household_id, died_on__isnull=False, died_on__lte=on
        )
        .order_by("-died_on", "-id")
        .first()
    )


NO_DEATH = Note("no_death", _("No death of a member of your household is in the register."))


# -- one gatherer per scheme ---------------------------------------------------------------------


def old_age_pension(person: Person, on: datetime.date) -> FactSheet:
    sheet = _Sheet("old_age_pension", person, on)
    sheet.put("sex", _sex(person), POPULATION).put("birth_on", person.birth_on, POPULATION)
    _put_account(sheet, person, "insurance_record_months", "pension_capital_qepik")
    return sheet.done()


def disability_pension(person: Person, on: datetime.date) -> FactSheet:
    sheet = _Sheet("disability_pension", person, on)
    sheet.put("birth_on", person.birth_on, POPULATION)
    decision = _latest_decision(person, on, child=False)
    if decision is None:
        sheet.note(NO_DECISION)
    else:
        sheet.put("disability_on", decision.decided_on, DECISIONS)
        sheet.context["disability_on"] = decision.decided_on
    _put_account(
        sheet, person, "insurance_record_months", "pre_2006_capital_qepik", "pension_capital_qepik"
    )
    return sheet.done()


def _recent_month(on: datetime.date) -> datetime.date:
    """The first day of the month before `on`'s: a contribution since then means paid work."""
    return (on.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def age_benefit(person: Person, on: datetime.date) -> FactSheet:
    sheet = _Sheet("age_benefit", person, on)
    sheet.put("sex", _sex(person), POPULATION).put("birth_on", person.birth_on, POPULATION)
    sheet.put("children_born", Birth.objects.filter(mother=person).count(), BIRTHS)
    working = Contribution.objects.filter(person=person, month_on__gte=_recent_month(on)).exists()
    sheet.put("is_working", working, CONTRIBUTIONS)
    _put_account(sheet, person, "insurance_record_months", "pension_capital_qepik")
    _put_derived(
        sheet,
        "has_labour_pension_right",
        "old_age_pension",
        "has_pension_right",
        "sex",
        "birth_on",
        "insurance_record_months",
        "pension_capital_qepik",
    )
    return _only_scheme_facts(sheet)


def disability_benefit(person: Person, on: datetime.date) -> FactSheet:
    sheet = _Sheet("disability_benefit", person, on)
    decision = _latest_decision(person, on, child=False)
    if decision is None:
        return sheet.note(NO_DECISION).done()
    sheet.put("disability_degree", decision.degree, DECISIONS)
    sheet.context["disability_on"] = decision.decided_on
    sheet.put("birth_on", person.birth_on, POPULATION)
    sheet.put("disability_on", decision.decided_on, DECISIONS)
    _put_account(
        sheet, person, "insurance_record_months", "pre_2006_capital_qepik", "pension_capital_qepik"
    )
    _put_derived(
        sheet,
        "has_labour_pension_right",
        "disability_pension",
        "has_required_record",
        "birth_on",
        "disability_on",
        "insurance_record_months",
        "pre_2006_capital_qepik",
        "pension_capital_qepik",
    )
    return _only_scheme_facts(sheet)


def _only_scheme_facts(sheet: _Sheet) -> FactSheet:
    """The sheet without the facts read only to decide another (kept in its `context`)."""
    names = get_scheme(sheet.scheme).fact_names
    for name in [n for n in sheet.facts if n not in names]:
        sheet.context[name] = sheet.facts.pop(name).value
    return sheet.done()


def disabled_child_benefit(person: Person, on: datetime.date) -> FactSheet:
    """The child's facts (`person` is the child)."""
    membership = _membership(person)
    sheet = _Sheet(
        "disabled_child_benefit", person, on, membership.household_id if membership else None
    )
    sheet.put("birth_on", person.birth_on, POPULATION)
    decision = _latest_decision(person, on, child=True)
    if decision is None:
        return sheet.note(NO_DECISION).done()
    sheet.put("disability_percent", decision.percentage or 0, DECISIONS)
    sheet.context["disability_on"] = decision.decided_on
    return sheet.done()


def survivor_benefit(person: Person, on: datetime.date) -> FactSheet:
    """The family's: members under 18 after a member's death, and a survivor pension held."""
    membership = _membership(person)
    household_id = membership.household_id if membership else None
    sheet = _Sheet("survivor_benefit", person, on, household_id)
    members = (
        list(
            HouseholdMembership.objects.filter(
                household_id=household_id, left_on__isnull=True
            ).select_related("person")
        )
        if household_id
        else []
    )
    held_by = Q(person_id__in=[m.person_id for m in members] or [person.pk])
    if household_id:
        held_by |= Q(household_id=household_id)
    pension = Award.objects.filter(
        held_by, kind=AwardKind.SURVIVOR_PENSION, status=AwardStatus.ACTIVE
    ).exists()
    sheet.put("has_survivor_pension_right", pension, AWARDS)
    deceased = _death_in_household(household_id, on) if household_id else None
    if deceased is None:
        sheet.note(NO_DEATH)
        sheet.put("eligible_members", 0, HOUSEHOLDS)
        return sheet.done()
    sheet.context["died_on"] = deceased.died_on
    children = [m.person for m in members if _is_living_child(m.person, on)]
    sheet.put("eligible_members", len(children), HOUSEHOLDS)
    return sheet.done()


def _is_living_child(person: Person, on: datetime.date) -> bool:
    is_alive = person.died_on is None or person.died_on > on
    return is_alive and person.birth_on <= on and _is_child_on(person.birth_on, on)


def childbirth_benefit(person: Person, on: datetime.date) -> FactSheet:
    """The latest birth still payable (back-payment limit): the children born that day."""
    sheet = _Sheet("childbirth_benefit", person, on)
    since = _months_before(on, _parameter("social_benefits.back_payment_months", on))
    births = Birth.objects.filter(Q(mother=person) | Q(father=person))
    born_on, count = _latest_births(births, on, since)
    if born_on is None:
        sheet.note(Note("no_birth", _("No birth of your child is in the register for the period.")))
    sheet.context["born_on"] = born_on
    sheet.put("children_born", count, BIRTHS)
    return sheet.done()


def funeral_benefit(person: Person, on: datetime.date) -> FactSheet:
    """Another funeral payment: the funeral benefit already granted for the household's death."""
    membership = _membership(person)
    household_id = membership.household_id if membership else None
    sheet = _Sheet("funeral_benefit", person, on, household_id)
    deceased = _death_in_household(household_id, on) if household_id else None
    if household_id is None or deceased is None:
        return sheet.note(NO_DEATH).done()
    sheet.context["died_on"] = deceased.died_on
    paid = Award.objects.filter(
        kind=AwardKind.FUNERAL_BENEFIT,
        start_on__gte=deceased.died_on,
        person__memberships__household_id=household_id,
    ).exists()
    sheet.put("has_other_funeral_payment", paid, AWARDS)
    return sheet.done()


def child_under_one_benefit(person: Person, on: datetime.date) -> FactSheet:
    """The mother's latest birth within the year before `on`, and assistance to her household."""
    membership = _membership(person)
    household_id = membership.household_id if membership else None
    sheet = _Sheet("child_under_one_benefit", person, on, household_id)
    since = _months_before(on, 12) + datetime.timedelta(days=1)
    born_on, count = _latest_births(Birth.objects.filter(mother=person), on, since)
    sheet.context["born_on"] = born_on
    sheet.put("children_under_one", count, BIRTHS)
    assisted = household_id is not None and _is_assisted(household_id)
    sheet.put("is_receiving_targeted_assistance", assisted, AWARDS)
    return sheet.done()


def _is_assisted(household_id: int) -> bool:
    """The household holds an active targeted-assistance award."""
    return Award.objects.filter(
        household_id=household_id, kind=AwardKind.TARGETED_ASSISTANCE, status=AwardStatus.ACTIVE
    ).exists()


def targeted_assistance(person: Person, on: datetime.date) -> FactSheet:
    """The family's: its members and its means as the registers hold them."""
    membership = _membership(person)
    if membership is None:
        sheet = _Sheet("targeted_assistance", person, on)
        return sheet.note(
            Note("no_household", _("You belong to no household in the register."))
        ).done()
    household_id = membership.household_id
    sheet = _Sheet("targeted_assistance", person, on, household_id)
    members = HouseholdMembership.objects.filter(household_id=household_id, left_on__isnull=True)
    sheet.put("members", members.count(), HOUSEHOLDS)
    means = HouseholdMeans.objects.filter(household_id=household_id).first()
    if means is None:
        sheet.note(
            Note("no_household_means", _("The registers hold no income or assets of your family."))
        )
    else:
        for name in MEANS_FACTS:
            sheet.put(name, getattr(means, name), MEANS)
    _put_employment_income(sheet, [m.person_id for m in members], on)
    _put_refused_jobs(sheet, household_id, on)
    if _is_assisted(household_id):
        sheet.note(Note("already_assisted", _("The family already receives targeted assistance.")))
    return sheet.done()


def _put_employment_income(sheet: _Sheet, member_ids: list[int], on: datetime.date) -> None:
    """The members' wages in the contracts register over the twelve months before `on`'s month.

    The means register's figure is the family's total income; the contracts register is a floor
    under it, not an addition (the wages are part of that total). The larger of the two is
    counted, and the register it came from is named. Without a means figure the family still
    declares its income; the note says what the register shows. `proactive.sources.TARGETED`
    computes the same with the same function, set-based.
    """
    from_on, to_on = income.months_before(on, 12)
    wages = income.employment_income_qepik(person_ids=member_ids, from_on=from_on, to_on=to_on)
    sheet.context[EMPLOYMENT_INCOME] = wages
    if wages == 0:
        return
    sheet.note(Note("employment_income", lazy(_employment_income_text, str)(wages)))
    means = sheet.facts.get("income_12_months_qepik")
    if means is not None and wages > means.value:
        sheet.put("income_12_months_qepik", wages, CONTRACTS)


REFUSED_JOBS = "refused_suitable_jobs"
REFUSED_JOBS_SCHEMA: dict[str, pl.DataType] = {
    "household_id": pl.Int64(),
    "employment_refused_jobs": pl.Int64(),
}
# Suitable jobs a current member of each household refused, by the employment service's
# referrals recorded in the window. Parameters: the window's first and last day, then the ids.
_REFUSALS_SQL = f"""SELECT m.household_id, COUNT(*)
    FROM {Referral._meta.db_table} r
    JOIN {JobSeeker._meta.db_table} j ON j.id = r.job_seeker_id
    JOIN registry_householdmembership m ON m.person_id = j.person_id AND m.left_on IS NULL
    WHERE r.outcome = '{ReferralOutcome.REFUSED_BY_SEEKER.value}' AND r.is_suitable
      AND r.outcome_on >= %s AND r.outcome_on <= %s AND m.household_id {{ids}}
    GROUP BY m.household_id"""  # noqa: S608 — constant SQL, values bound


def refused_jobs_window(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days whose refusals count on `on`: the 12 months before it, `on` included."""
    return _months_before(on, 12) + datetime.timedelta(days=1), on


def refused_jobs_by_household(*, household_ids: list[int], on: datetime.date) -> pl.DataFrame:
    """household_id, employment_refused_jobs: the suitable jobs the households' current members
    refused in `refused_jobs_window(on)` by the employment register's referrals, set-based (a
    household without any has no row). The one-person path (`targeted_assistance`) and the
    proactive source (`meis.proactive.sources.TARGETED`) both count with this."""
    ids = sorted(set(household_ids))
    if not ids:
        return pl.DataFrame(schema=REFUSED_JOBS_SCHEMA)
    window = list(refused_jobs_window(on))
    if bulk.is_postgresql():
        return bulk.frame_read(
            _REFUSALS_SQL.format(ids="= ANY(%s)"), [*window, ids], REFUSED_JOBS_SCHEMA
        )
    parts = [ids[i : i + 10_000] for i in range(0, len(ids), 10_000)]
    return pl.concat(
        bulk.frame_read(
            _REFUSALS_SQL.format(ids=f"IN ({', '.join(['%s'] * len(part))})"),
            [*window, *part],
            REFUSED_JOBS_SCHEMA,
        )
        for part in parts
    )


def _put_refused_jobs(sheet: _Sheet, household_id: int, on: datetime.date) -> None:
    """The larger of the means register's count of refused suitable jobs and the employment
    register's (its referrals refused in the last 12 months), naming the register counted.
    Without a means figure, the employment register's count stands alone when it has one."""
    frame = refused_jobs_by_household(household_ids=[household_id], on=on)
    referrals = int(frame["employment_refused_jobs"].sum())
    means = sheet.facts.get(REFUSED_JOBS)
    if referrals and (means is None or referrals > means.value):
        sheet.put(REFUSED_JOBS, referrals, EMPLOYMENT)


def _employment_income_text(wages_qepik: int) -> str:
    amount = format_money(wages_qepik, (get_language() or "az")[:2])
    return str(
        _(
            "The employment contracts register shows wages of %(amount)s earned by your family "
            "in the 12 months before this month; the larger of this and the income register's "
            "figure is counted."
        )
        % {"amount": amount}
    )


# The termination grounds (codes of `meis/labour/data/termination_grounds.yaml`) the rule
# names; every other ground is "other". 68.2(b) and Art. 73 are the same ground (the expiry of a
# fixed-term contract), cited either way.
DISMISSAL_GROUNDS = {
    "70.a": "liquidation",
    "70.b": "staff_reduction",
    "68.2.b": "fixed_term_expiry",
    "73": "fixed_term_expiry",
}
NO_TERMINATION = Note(
    "no_terminated_contract",
    _(
        "The contracts register holds no ended employment contract of yours: say on what ground "
        "your last contract ended and what you earned in its last 12 months."
    ),
)
NOT_REGISTERED = Note(
    "not_registered_unemployed",
    _(
        "You are not registered as unemployed with the employment service. The benefit is paid "
        "only after registration: register under “My employment”."
    ),
)


def last_terminated_contract(*, person: Person, on: datetime.date) -> Contract | None:
    """The person's contract that ended last on or before `on` (a main job before another
    ending the same day)."""
    return (
        Contract.objects.filter(
            person=person, status=ContractStatus.TERMINATED, terminated_on__lte=on
        )
        .select_related("employer", "termination_ground")
        .order_by("-terminated_on", "-is_main_job", "-id")
        .first()
    )


def unemployed_registration(*, person: Person, on: datetime.date) -> JobSeeker | None:
    """The person's open registration as unemployed (not as a job seeker) made by `on`."""
    return (
        JobSeeker.objects.filter(
            person=person,
            status=SeekerStatus.UNEMPLOYED,
            state__in=OPEN_STATES,
            registered_on__lte=on,
        )
        .order_by("-registered_on", "-pk")
        .first()
    )


def wages_before_termination_qepik(*, person_id: int, terminated_on: datetime.date) -> int:
    """The wages the contracts register says the person earned in the 12 months up to and
    including the last day of work (a month cut by the window is prorated, `meis.labour.income`)."""
    to_on = terminated_on + datetime.timedelta(days=1)
    return income.employment_income_qepik(
        person_ids=[person_id], from_on=_months_before(to_on, 12), to_on=to_on
    )


def unemployment_insurance(person: Person, on: datetime.date) -> FactSheet:
    """The dismissal and the wages before it from the contracts register, the registration from
    the employment service's, the record from the account and the contributions. A dismissal
    the register does not hold (a civil servant's, or one before the register) is declared."""
    sheet = _Sheet("unemployment_insurance", person, on)
    contract = last_terminated_contract(person=person, on=on)
    if contract is None or contract.terminated_on is None or contract.termination_ground is None:
        sheet.note(NO_TERMINATION)
    else:
        ground = contract.termination_ground
        sheet.put("dismissal_ground", DISMISSAL_GROUNDS.get(ground.code, "other"), CONTRACTS)
        wages = wages_before_termination_qepik(
            person_id=person.pk, terminated_on=contract.terminated_on
        )
        sheet.put("wages_12_months_qepik", wages, CONTRACTS)
        sheet.context.update(contract_id=contract.pk, terminated_on=contract.terminated_on)
        text = lazy(_dismissal_text, str)(contract.employer.name, contract.terminated_on, ground)
        sheet.note(Note("dismissal", text))
    registration = unemployed_registration(person=person, on=on)
    sheet.put("is_registered_unemployed", registration is not None, EMPLOYMENT)
    if registration is None:
        sheet.note(NOT_REGISTERED)
    else:
        sheet.context["registered_on"] = registration.registered_on
    _put_account(sheet, person, "insurance_record_months")
    this_month = on.replace(day=1)
    windows = {"record_months_last_24": 24, "record_months_last_36": 36}
    counts = Contribution.objects.filter(person=person, month_on__lt=this_month).aggregate(
        **{
            name: Count(
                "month_on",
                distinct=True,
                filter=Q(month_on__gte=_months_before(this_month, months)),
            )
            for name, months in windows.items()
        }
    )
    for name in windows:
        sheet.put(name, counts[name], CONTRIBUTIONS)
    sheet.put("dependent_children", len(_dependent_children(person, on)), BIRTHS)
    return sheet.done()


def _dismissal_text(employer: str, terminated_on: datetime.date, ground: TerminationGround) -> str:
    language = (get_language() or "az")[:2]
    return str(
        _(
            "The contracts register shows that your contract with %(employer)s ended on "
            "%(date)s: %(ground)s. Your wages in the 12 months before are taken from it."
        )
        % {
            "employer": employer,
            "date": format_date(terminated_on, language),
            "ground": ground.title,
        }
    )


def _dependent_children(person: Person, on: datetime.date) -> set[int]:
    """Living children under 18: by the birth register, and the head's (or spouse's) children in
    the household. Students under 23 are in no register: the citizen may declare them."""
    born = Birth.objects.filter(Q(mother=person) | Q(father=person)).select_related("child")
    children = {b.child for b in born}
    membership = _membership(person)
    if membership is not None and membership.relation in (Relation.HEAD, Relation.SPOUSE):
        children |= {
            m.person
            for m in HouseholdMembership.objects.filter(
                household_id=membership.household_id, left_on__isnull=True, relation=Relation.CHILD
            ).select_related("person")
        }
    return {c.pk for c in children if c.pk != person.pk and _is_living_child(c, on)}


# The labour pensions (the "labour_pension" exclusivity group without the benefits standing in
# for them): a degree-I person holding one is not in the stipend's degree-I category.
_LABOUR_PENSION_KINDS = (
    AwardKind.OLD_AGE_PENSION,
    AwardKind.DISABILITY_PENSION,
    AwardKind.SURVIVOR_PENSION,
)


def _first_degree_without_pension(person: Person, on: datetime.date) -> DisabilityDecision | None:
    """The degree-I decision that puts the person in the stipend's degree-I category on `on`:
    their latest decision in force then (decided by `on`, its re-examination date not reached)
    is of degree I and they hold no labour pension. None when they are not in the category."""
    in_force = DisabilityDecision.objects.filter(person=person, decided_on__lte=on).filter(
        Q(reexamine_on__isnull=True) | Q(reexamine_on__gt=on)
    )
    latest = in_force.order_by("-decided_on", "-id").first()
    if latest is None or latest.degree != DisabilityDegree.FIRST:
        return None
    pensions = Award.objects.filter(
        person=person,
        kind__in=_LABOUR_PENSION_KINDS,
        status__in=(AwardStatus.ACTIVE, AwardStatus.SUSPENDED),
    )
    return None if pensions.exists() else latest


def presidential_stipend(person: Person, on: datetime.date) -> FactSheet:
    """The person's statuses in the veterans' registers (the proactive source's facts): every
    category, and the best degree of a disability caused by war ("I" before "II"); and whether
    the commission's decisions and the awards put them among the degree-I disabled without a
    labour pension."""
    sheet = _Sheet("presidential_stipend", person, on)
    statuses = list(StipendStatus.objects.filter(person=person, recorded_on__lte=on))
    categories = {s.category for s in statuses}
    by_war = (StipendCategory.WAR_DISABLED, StipendCategory.JANUARY_20_DISABLED)
    degrees = sorted(s.degree for s in statuses if s.category in by_war and s.degree)
    first_degree = _first_degree_without_pension(person, on)
    days = [s.recorded_on for s in statuses]
    if first_degree is not None:
        days.append(first_degree.decided_on)
    sheet.context["status_on"] = max(days, default=None)
    sheet.put("war_disability_degree", degrees[0] if degrees else "none", VETERANS)
    sheet.put("is_martyr_family", StipendCategory.MARTYR_FAMILY in categories, VETERANS)
    sheet.put("is_wwii_veteran", StipendCategory.WWII_VETERAN in categories, VETERANS)
    sheet.put("is_national_hero", StipendCategory.NATIONAL_HERO in categories, VETERANS)
    sheet.put("is_patriotic_war_hero", StipendCategory.PATRIOTIC_WAR_HERO in categories, VETERANS)
    sheet.put("is_first_degree_disabled_without_pension", first_degree is not None, DECISIONS)
    return sheet.done()


GATHERERS: dict[str, Callable[[Person, datetime.date], FactSheet]] = {
    "old_age_pension": old_age_pension,
    "disability_pension": disability_pension,
    "age_benefit": age_benefit,
    "disability_benefit": disability_benefit,
    "disabled_child_benefit": disabled_child_benefit,
    "survivor_benefit": survivor_benefit,
    "childbirth_benefit": childbirth_benefit,
    "funeral_benefit": funeral_benefit,
    "child_under_one_benefit": child_under_one_benefit,
    "targeted_assistance": targeted_assistance,
    "unemployment_insurance": unemployment_insurance,
    "presidential_stipend": presidential_stipend,
}
