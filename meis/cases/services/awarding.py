"""From a decision to an award: the scheme's start date, the arrears and the decision record.

Approving a case of a rules-backed service grants the award through
`meis.awards.services.award_grant` (origin "case decision", the case's reference), with the same
decision record as a proactive grant — the basis (scheme, date, rules version, parameters) and
the facts and steps of the trace — plus the case, the officers and any departure from the rules.

When the award starts (docs/domain.md), from the date the application was filed (for an
appeal, the application appealed against — the appeal decides what the first decision should
have decided):

- targeted assistance: the 1st of the month of application (§2);
- old-age pension: the day the right arose, the pension age (assigned "on the day the right
  arises", §3); the age benefit likewise from the benefit age, but a social benefit is paid
  back for at most `social_benefits.back_payment_months` before the application (§5);
- disability pension: the day the commission established the disability (§4);
- unemployment insurance benefit: the 1st of the month after the registration as unemployed
  (§8: "from the 1st day of the month after registration"; the employment register's date, the
  application's when the register holds none); after the expiry of a fixed-term contract (the
  2020 version) `unemployment_insurance.fixed_term_payment_delay_months` (3) after the
  registration, to the day;
- every other benefit: the day of application.

Arrears: an award that starts before the month of the decision is owed for each month from its
start's month up to that month (or to the end the law gives it, if earlier) — months × the
monthly amount, in whole qəpik (a month begun counts whole; a one-off benefit has none). An appeal that changes the amount of an award held
replaces it from the month of the decision (`award_grant(supersedes=…)`), and the difference for
the months before is paid as arrears; a lower amount is not recovered for months already paid.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from meis.awards.models import HELD_STATUSES, SERVICE_CODES, Award, AwardKind, AwardOrigin
from meis.awards.services import award_grant, basis_get_or_create
from meis.awards.services.errors import AwardError
from meis.cases.decision_selectors import Rules
from meis.cases.models import Case, CaseDecision
from meis.cases.services.errors import CaseActionError
from meis.eligibility.selectors import child_of_applicant, unemployed_registration
from meis.registry.models import Household, HouseholdMembership, Person
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store

# The trace value each scheme's award starts from (a step or a fact); others start on the day
# of application (the module docstring gives the law).
_START_FROM_TRACE = {
    "old_age_pension": "pension_age_on",
    "age_benefit": "benefit_age_on",
    "disability_pension": "disability_on",
}
_START_FIRST_OF_APPLICATION_MONTH = frozenset({"targeted_assistance"})
_START_AFTER_REGISTRATION = frozenset({"unemployment_insurance"})
FIXED_TERM_DELAY = "unemployment_insurance.fixed_term_payment_delay_months"
# Paid once, not monthly: no arrears, no end.
ONE_OFF_SCHEMES = frozenset({"childbirth_benefit", "funeral_benefit"})
# The Law on social benefits' schemes: an unclaimed benefit is paid back for at most
# `social_benefits.back_payment_months` (docs/domain.md §5).
SOCIAL_BENEFIT_SCHEMES = frozenset(
    {
        "age_benefit",
        "disability_benefit",
        "disabled_child_benefit",
        "survivor_benefit",
        "childbirth_benefit",
        "funeral_benefit",
        "child_under_one_benefit",
    }
)
BACK_PAYMENT = "social_benefits.back_payment_months"


@dataclass(frozen=True)
class Granted:
    """What a decision did to the applicant's awards."""

    award: Award | None  # None: an appeal that confirms the amount already held
    start_on: datetime.date
    arrears_months: int
    arrears_qepik: int


def award_kind(*, scheme: str, service_code: str) -> str:
    """The award kind a service's scheme grants (from `SERVICE_CODES`, the awards' own map)."""
    kinds = [kind for kind, code in SERVICE_CODES.items() if code == service_code]
    if scheme in kinds:
        return scheme
    if len(kinds) == 1:
        return kinds[0]
    raise CaseActionError(_("This service grants no award that MEİS can record."))


def award_start_on(
    *,
    scheme: str,
    trace: Mapping[str, Any],
    applied_on: datetime.date,
    registered_on: datetime.date | None = None,
) -> datetime.date:
    """The day the award starts, by the scheme's law (see the module docstring);
    `registered_on` is the registration as unemployed the unemployment benefit starts after."""
    if scheme in _START_FIRST_OF_APPLICATION_MONTH:
        return applied_on.replace(day=1)
    if scheme in _START_AFTER_REGISTRATION:
        return _after_registration(trace, registered_on or applied_on, applied_on)
    name = _START_FROM_TRACE.get(scheme)
    value = _trace_value(trace, name) if name else None
    if not (isinstance(value, str) and value):
        return applied_on
    start_on = datetime.date.fromisoformat(value)
    if scheme in SOCIAL_BENEFIT_SCHEMES:
        back = default_store().value(BACK_PAYMENT, on=applied_on)
        assert isinstance(back, int)  # noqa: S101 — a `months` parameter is whole
        start_on = max(start_on, _months_earlier(applied_on, back))
    return start_on


def _after_registration(
    trace: Mapping[str, Any], registered_on: datetime.date, applied_on: datetime.date
) -> datetime.date:
    """The 1st of the month after the registration; after a fixed-term contract's expiry (a
    ground only the 2020 version admits), the delay after the registration."""
    if trace.get("facts", {}).get("dismissal_ground") == "fixed_term_expiry":
        store = default_store()
        if store.parameter(FIXED_TERM_DELAY).periods[0].start <= applied_on:
            delay = store.value(FIXED_TERM_DELAY, on=applied_on)
            assert isinstance(delay, int)  # noqa: S101 — a `months` parameter is whole
            return _months_earlier(registered_on, -delay)
    return _first_of_next_month(registered_on)


def _registered_on(case: Case, *, scheme: str, on: datetime.date) -> datetime.date | None:
    """The day the applicant registered as unemployed (the employment register), for the schemes
    that start after it; None when the register holds no registration."""
    if scheme not in _START_AFTER_REGISTRATION:
        return None
    registration = unemployed_registration(person=case.person, on=on)
    return registration.registered_on if registration is not None else None


def _beneficiary(case: Case, *, scheme: str) -> Person:
    """Whose award it is: the applicant's, except a disabled child's benefit, which is the
    child's (the parent names the child; the eligibility check already found them related)."""
    if scheme != "disabled_child_benefit":
        return case.person
    child, _note = child_of_applicant(
        applicant=case.person, fin=str(case.answers.get("child_fin", ""))
    )
    if child is None:
        raise CaseActionError(_("The register does not link the child named to the applicant."))
    return child


def months_before(start_on: datetime.date, decided_on: datetime.date) -> int:
    """Whole months from `start_on`'s month up to (not including) `decided_on`'s month."""
    return max(0, _month_index(decided_on) - _month_index(start_on))


def award_for_decision(
    *,
    case: Case,
    decision: CaseDecision,
    rules: Rules,
    officers: Mapping[str, User | None],
    decided_on: datetime.date,
    held: Award | None,
) -> Granted:
    """Grant (or, for an appeal against an award held, replace) the decision's award."""
    amount = decision.amount_qepik
    if amount is None:
        raise CaseActionError(_("Give the monthly amount of the award."))
    application = case.appeal_of if case.appeal_of is not None else case
    scheme = get_scheme(rules.scheme)
    kind = award_kind(scheme=rules.scheme, service_code=case.service_version.definition["code"])
    is_one_off = rules.scheme in ONE_OFF_SCHEMES
    start_on = award_start_on(
        scheme=rules.scheme,
        trace=rules.trace,
        applied_on=application.submitted_on,
        registered_on=_registered_on(application, scheme=rules.scheme, on=rules.on),
    )
    household = _household(case) if scheme.entity == "household" else None
    if held is not None:
        return _replace(
            case=case,
            held=held,
            amount=amount,
            rules=rules,
            record=decision_record(case, decision, rules, officers),
            decided_on=decided_on,
        )
    if household is not None and _held_by_another_member(household, kind, case):
        raise CaseActionError(
            _("The applicant's family already receives this assistance: refuse the application.")
        )
    basis = basis_get_or_create(scheme=rules.scheme, on=rules.on)

    beneficiary = _beneficiary(case, scheme=rules.scheme)

    def grant(months: int) -> Award | None:
        arrears = {"months": months, "qepik": months * amount, "until": _month_start(decided_on)}
        return _granted(
            person=beneficiary,
            kind=kind,
            amount_qepik=amount,
            start_on=start_on,
            basis=basis,
            record=decision_record(case, decision, rules, officers, arrears=arrears),
            origin=AwardOrigin.CASE_DECISION,
            origin_reference=case.reference,
            household=household,
            is_one_off=is_one_off,
        )

    months = 0 if is_one_off else months_before(start_on, decided_on)
    if not months:
        award = grant(0)
    else:
        savepoint = transaction.savepoint()
        award = grant(months)
        if award is not None and award.end_on is not None:
            # The law ended the award before the decision's month: arrears run to its end
            # only. Rare (a decision long after the application); the grant is redone.
            ended = months_before(start_on, min(decided_on, _first_of_next_month(award.end_on)))
            if ended != months:
                transaction.savepoint_rollback(savepoint)
                savepoint = transaction.savepoint()
                months = ended
                award = grant(months)
        transaction.savepoint_commit(savepoint)
    if award is None:
        raise CaseActionError(_exclusive_message(kind))
    return Granted(award, start_on, months, months * amount)


def _replace(
    *,
    case: Case,
    held: Award,
    amount: int,
    rules: Rules,
    record: dict[str, Any],
    decided_on: datetime.date,
) -> Granted:
    """An appeal that changes the amount of an award held: the new amount from the month of the
    decision (or the day after the old start, if later), the difference before as arrears."""
    if held.amount_qepik == amount:
        return Granted(None, held.start_on, 0, 0)
    start_on = max(_month_start(decided_on), held.start_on + datetime.timedelta(days=1))
    months = 0 if held.is_one_off else months_before(held.start_on, start_on)
    owed = max(0, (amount - held.amount_qepik) * months)
    record["arrears"] = {"months": months, "qepik": owed, "until": start_on.isoformat()}
    award = _granted(
        person=held.person,
        kind=held.kind,
        amount_qepik=amount,
        start_on=start_on,
        basis=basis_get_or_create(scheme=rules.scheme, on=rules.on),
        record=record,
        origin=AwardOrigin.CASE_DECISION,
        origin_reference=case.reference,
        household=held.household,
        is_one_off=held.is_one_off,
        supersedes=held,
    )
    if award is None:
        raise CaseActionError(
            _(
                "The award of the first decision changed meanwhile. Reload the case and decide again."
            )
        )
    return Granted(award, start_on, months, owed)


def _granted(**grant: Any) -> Award | None:
    """`award_grant`, its refusals (an award the law would end before it starts) told as the
    case's."""
    try:
        return award_grant(**grant)
    except AwardError as refused:
        raise CaseActionError(str(refused)) from None


def decision_record(
    case: Case,
    decision: CaseDecision,
    rules: Rules,
    officers: Mapping[str, User | None],
    *,
    arrears: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The award's record: the trace's facts and steps (as a proactive grant keeps them), the
    rules' own result, the case, the officers, any departure and the arrears."""
    trace = rules.trace
    record: dict[str, Any] = {
        "facts": dict(trace.get("facts", {})),
        "steps": {step["name"]: step["value"] for step in trace.get("steps", [])},
        "rules": {
            "outcome": str(rules.result.outcome),
            "amount_qepik": rules.result.amount_qepik,
            "refusals": list(trace.get("refusals", [])),
            "unmet_requirements": list(trace.get("unmet_requirements", [])),
        },
        "case": case.reference,
        "appeal_of": case.appeal_of.reference if case.appeal_of is not None else None,
        "officers": {
            role: {"id": user.pk, "username": user.get_username()}
            for role, user in officers.items()
            if user is not None
        },
        "departure": decision.departure,
        "departure_reason": decision.departure_reason,
    }
    # Whatever else the trace says about its facts (e.g. where each came from) stays with them.
    record.update({key: value for key, value in trace.items() if key not in _TRACE_KEYS})
    if arrears is not None:
        record["arrears"] = {**arrears, "until": str(arrears["until"])}
    return record


_TRACE_KEYS = frozenset(
    {
        "scheme",
        "on",
        "outcome",
        "amount_qepik",
        "facts",
        "parameters",
        "steps",
        "unmet_requirements",
        "refusals",
    }
)


def _exclusive_message(kind: str) -> str:
    return _(
        "The applicant already holds %(kind)s from this date, or an award the law does not let "
        "them hold together with it. Refuse the application, or end that award first."
    ) % {"kind": AwardKind(kind).label}


def _household(case: Case) -> Household | None:
    membership = (
        HouseholdMembership.objects.filter(person=case.person, left_on__isnull=True)
        .select_related("household")
        .first()
    )
    return membership.household if membership is not None else None


def _held_by_another_member(household: Household, kind: str, case: Case) -> bool:
    """A family holds one such award: is it held by a member other than the applicant? (The
    applicant's own is continued by a renewal, which the awards service handles.)"""
    held = Award.objects.filter(household=household, kind=kind, status__in=HELD_STATUSES)
    return held.exclude(person=case.person).exists()


def _trace_value(trace: Mapping[str, Any], name: str) -> Any:
    for step in trace.get("steps", []):
        if step["name"] == name:
            return step["value"]
    return trace.get("facts", {}).get(name)


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _months_earlier(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    year, month = divmod(_month_index(day) - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _first_of_next_month(day: datetime.date) -> datetime.date:
    year, month = divmod(_month_index(day) + 1, 12)
    return datetime.date(year, month + 1, 1)
