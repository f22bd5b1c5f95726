"""Service handlers: what evaluates an application and what may decide it.

A catalogue entry names its handler by dotted path (e.g. `meis.catalog.handlers.targeted_assistance`);
the path must lead to an object with the `Handler` protocol's two methods:

* `evaluate(facts, on=...)` → `PreCheck`: the pre-check the case worker sees, with its
  explanation and (for rules-based services) the full rules trace;
* `decide(facts, on=...)` → `Decision`: a proposed outcome. `is_final` is True only for instant
  services, whose handler decides without a person; everything else waits for a case worker.

`facts` are the application's answers plus the registry facts the case engine gathered, named
as the rules scheme names them (see `meis rules list`); `meis.cases.selectors.case_rules_result`
gathers them (`meis.eligibility`) and adds each fact's provenance to the pre-check.

A rules pre-check is *eligible* with the amount and the readable explanation, *not eligible*
with the legal ground (a refusal a few months of record short names the near miss), and
*incomplete* only when facts are missing, naming them. The explanation is written in az, en and
ru (`meis.rules.explain`); `explanation` is the one in the active language.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable

from django.utils import translation
from django.utils.module_loading import import_string

from meis.rules import explain
from meis.rules.engine import Result, Scheme, compile_scheme, evaluate_case
from meis.rules.errors import FactError, ImpossibleFacts
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store


class PreCheckOutcome(enum.StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    INCOMPLETE = "incomplete"  # facts missing or malformed: the worker must complete them
    MANUAL = "manual"  # no automatic check exists for this service
    NOT_AVAILABLE = "not_available"  # the automation is not built yet


class DecisionOutcome(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REFER = "refer"  # a case worker decides


@dataclass(frozen=True)
class PreCheck:
    outcome: PreCheckOutcome
    explanation: str
    reasons: tuple[str, ...] = ()
    amount_qepik: int | None = None
    trace: dict[str, Any] = field(default_factory=dict)
    # The explanation in each language (az, en, ru), paragraphs separated by newlines.
    explanations: dict[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()  # facts the rule needs and nobody gave (INCOMPLETE)
    near_miss_months: int | None = None  # a refusal this many months of record short
    # Set by the case engine: each fact's value and provenance (registry / declared), with the
    # register's value beside a declared one that contradicts it.
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    contradictions: tuple[str, ...] = ()
    # Why a register was silent or what it read ("no disability decision"), code → az/en/ru.
    notes: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    outcome: DecisionOutcome
    is_final: bool
    reasons: tuple[str, ...] = ()
    pre_check: PreCheck | None = None


@runtime_checkable
class Handler(Protocol):
    def evaluate(self, facts: Mapping[str, Any], *, on: date) -> PreCheck: ...

    def decide(self, facts: Mapping[str, Any], *, on: date) -> Decision: ...


class HandlerError(ValueError):
    """A handler path that does not lead to a usable handler."""


class HandlerNotAvailable(NotImplementedError):  # noqa: N818 — reads as the fact it reports
    """The service's automation is not built yet; the case must be handled by a person."""


def handler_resolve(path: str) -> Handler:
    """The handler at a dotted path, or HandlerError saying why it cannot be used."""
    try:
        handler = import_string(path)
    except ImportError as error:
        raise HandlerError(f"cannot import handler {path!r}: {error}") from None
    if not isinstance(handler, Handler):
        raise HandlerError(f"{path!r} is not a handler: it needs evaluate() and decide() methods")
    return handler


@dataclass(frozen=True)
class RecordRequirement:
    """A requirement of insurance record: a refusal for it alone, at most `near_miss_months`
    short, is a near miss (the proactive pipeline's `Source.near_miss_months`, same windows)."""

    requirement: str  # the rule's step that fails
    near_miss_months: int


RECORD_REQUIREMENTS = {
    "old_age_pension": RecordRequirement("has_pension_right", 24),
    "disability_pension": RecordRequirement("has_required_record", 12),
    # No proactive source: a year, like the disability pension (the project's choice).
    "unemployment_insurance": RecordRequirement("has_minimum_record", 12),
}
# Where each record requirement's months come from: a parameter, or a step of the rule.
_REQUIRED_MONTHS = {
    "has_pension_right": "labour_pensions.record_for_minimum_pension_months",
    "has_required_record": "required_record_months",
    "has_minimum_record": "unemployment_insurance.minimum_record_months",
}


@dataclass(frozen=True)
class RulesHandler:
    """Pre-check by a `meis.rules` scheme (single-case evaluation with its trace).

    The decision stays with a case worker (`is_final=False`): the pre-check proposes.
    """

    scheme: str

    def evaluate(self, facts: Mapping[str, Any], *, on: date) -> PreCheck:
        scheme = get_scheme(self.scheme)
        missing = facts_missing(scheme, facts, on=on)
        if missing:
            return _incomplete(scheme, missing)
        try:
            result = evaluate_case(scheme, facts, on=on)
        except FactError as error:
            return _unreadable(scheme, error)
        refusals = tuple(result.trace["refusals"])
        unmet = tuple(result.trace["unmet_requirements"])
        near_miss = months_short(result) if not result.outcome else None
        explanations = {
            lang: "\n".join(
                explain.pre_check_explain(result.trace, lang, near_miss_months=near_miss)
            )
            for lang in explain.LANGUAGES
        }
        return PreCheck(
            outcome=PreCheckOutcome.ELIGIBLE if result.outcome else PreCheckOutcome.NOT_ELIGIBLE,
            explanation=explanations[_language()],
            reasons=refusals + unmet,
            amount_qepik=result.amount_qepik,
            trace=result.trace,
            explanations=explanations,
            near_miss_months=near_miss,
        )

    def decide(self, facts: Mapping[str, Any], *, on: date) -> Decision:
        pre_check = self.evaluate(facts, on=on)
        outcome = {
            PreCheckOutcome.ELIGIBLE: DecisionOutcome.APPROVE,
            PreCheckOutcome.NOT_ELIGIBLE: DecisionOutcome.REJECT,
        }.get(pre_check.outcome, DecisionOutcome.REFER)
        return Decision(
            outcome=outcome, is_final=False, reasons=pre_check.reasons, pre_check=pre_check
        )


def facts_missing(scheme: Scheme, facts: Mapping[str, Any], *, on: date) -> tuple[str, ...]:
    """The facts the rule in force on `on` reads that `facts` lacks (or leaves empty)."""
    read = compile_scheme(scheme, on, default_store()).facts_read
    return tuple(f.name for f in read if facts.get(f.name) is None or facts.get(f.name) == "")


def months_short(result: Result) -> int | None:
    """Months of record missing when a record requirement alone refuses, within its window."""
    requirement = RECORD_REQUIREMENTS.get(result.scheme)
    trace = result.trace
    if requirement is None or trace["refusals"]:
        return None
    if trace["unmet_requirements"] != [requirement.requirement]:
        return None
    source = _REQUIRED_MONTHS[requirement.requirement]
    steps = {step["name"]: step["value"] for step in trace["steps"]}
    parameters = {use["name"]: use["value"] for use in trace["parameters"]}
    required = int(steps[source] if source in steps else parameters[source])
    short = required - int(trace["facts"]["insurance_record_months"])
    return short if 0 < short <= requirement.near_miss_months else None


def _why(error: FactError, lang: str) -> str:
    """Impossible facts in the reader's language; a malformed fact as the engine words it."""
    if isinstance(error, ImpossibleFacts):
        return " ".join(explain.impossible(p, lang, on=error.on) for p in error.problems)
    return str(error)


def _language() -> str:
    code = (translation.get_language() or "az")[:2]
    return code if code in explain.LANGUAGES else "az"


def _incomplete(scheme: Scheme, missing: tuple[str, ...]) -> PreCheck:
    explanations = {
        lang: "\n".join(explain.missing_facts(scheme.name, missing, lang))
        for lang in explain.LANGUAGES
    }
    return PreCheck(
        outcome=PreCheckOutcome.INCOMPLETE,
        explanation=explanations[_language()],
        reasons=missing,
        explanations=explanations,
        missing=missing,
    )


def _unreadable(scheme: Scheme, error: FactError) -> PreCheck:
    """Facts given but not usable (malformed, or impossible together): the worker checks them."""
    explanations = {
        lang: explain.message(
            "pre_check_unreadable",
            lang,
            title=explain.title(scheme.name, lang),
            error=_why(error, lang),
        )
        for lang in explain.LANGUAGES
    }
    involved = tuple(sorted(getattr(error, "facts", ()) or ()))
    return PreCheck(
        outcome=PreCheckOutcome.INCOMPLETE,
        explanation=explanations[_language()],
        reasons=involved,
        explanations=explanations,
    )


@dataclass(frozen=True)
class ManualReviewHandler:
    """No automatic check: a case worker reviews the application and decides."""

    def evaluate(self, facts: Mapping[str, Any], *, on: date) -> PreCheck:
        return PreCheck(
            outcome=PreCheckOutcome.MANUAL,
            explanation="No automatic check for this service: a case worker reviews it.",
        )

    def decide(self, facts: Mapping[str, Any], *, on: date) -> Decision:
        return Decision(
            outcome=DecisionOutcome.REFER, is_final=False, pre_check=self.evaluate(facts, on=on)
        )


@dataclass(frozen=True)
class NotImplementedHandler:
    """Placeholder for instant services whose automation is not built yet (says so plainly)."""

    feature: str

    def evaluate(self, facts: Mapping[str, Any], *, on: date) -> PreCheck:
        return PreCheck(
            outcome=PreCheckOutcome.NOT_AVAILABLE,
            explanation=f"{self.feature} is not implemented yet; a person must handle this request.",
        )

    def decide(self, facts: Mapping[str, Any], *, on: date) -> Decision:
        raise HandlerNotAvailable(f"{self.feature} is not implemented yet.")


@dataclass(frozen=True)
class AppointmentHandler:
    """Booking a time at a DOST centre: nothing to decide. The catalogue's start leads to the
    appointment pages (meis.appointments), named by `start_url_name` (the catalogue imports no
    app above it)."""

    feature: str
    start_url_name: str

    def evaluate(self, facts: Mapping[str, Any], *, on: date) -> PreCheck:
        return PreCheck(
            outcome=PreCheckOutcome.MANUAL,
            explanation=f"{self.feature} is done on the appointment pages; nothing is decided.",
        )

    def decide(self, facts: Mapping[str, Any], *, on: date) -> Decision:
        raise HandlerNotAvailable(f"{self.feature} is a booking, not an application.")


@dataclass(frozen=True)
class RegisterPagesHandler:
    """A notification made on a register's own pages, not as a case: employers notify
    employment contracts on the employer's pages of the contracts register (meis.employers),
    which check, register and confirm at once. `start_url_name` names those pages."""

    feature: str
    start_url_name: str
    start_label: str = "register"

    def evaluate(self, facts: Mapping[str, Any], *, on: date) -> PreCheck:
        return PreCheck(
            outcome=PreCheckOutcome.MANUAL,
            explanation=f"{self.feature} is made on the register's pages; it is not a case.",
        )

    def decide(self, facts: Mapping[str, Any], *, on: date) -> Decision:
        raise HandlerNotAvailable(f"{self.feature} is registered on its own pages.")


@dataclass(frozen=True)
class CertificateHandler:
    """E-Arayış: an instant service. The certificate states the registers' facts whatever they
    are, so there is nothing to refuse; `meis.certificates.services.certificate_issue` files the
    case, decides it at once and issues the signed PDF."""

    def evaluate(self, facts: Mapping[str, Any], *, on: date) -> PreCheck:
        return PreCheck(
            outcome=PreCheckOutcome.ELIGIBLE,
            explanation="The certificate is issued at once from the registers (E-Arayış).",
        )

    def decide(self, facts: Mapping[str, Any], *, on: date) -> Decision:
        return Decision(
            outcome=DecisionOutcome.APPROVE, is_final=True, pre_check=self.evaluate(facts, on=on)
        )


# --- The handlers the seed catalogue names --------------------------------------------------
manual_review = ManualReviewHandler()
instant_certificate = CertificateHandler()
instant_information = NotImplementedHandler("Showing this information from the registries")
appointment_booking = AppointmentHandler("Booking a pickup appointment", "appointments:mine")
dost_appointment = AppointmentHandler("Booking an appointment", "appointments:book")
employment_contract_notification = RegisterPagesHandler(
    "Employment-contract notification", "employers:list"
)
# An instant e-service on the employment register's own pages: the registers decide the status
# and the case engine records it (meis.jobcentre.services.job_seeker_register).
job_seeker_registration = RegisterPagesHandler(
    "Registration with the employment service", "jobcentre:register"
)
# The disability register's pages (meis.disability): the clinic refers; the person follows the
# referral and asks there for a re-examination or an appeal (an instant e-service whose result
# is the referral, `meis.disability.services.self_referral_request`).
disability_referrals = RegisterPagesHandler("Disability assessment", "disability:mine")
disability_self_referral = RegisterPagesHandler(
    "A re-examination or an appeal", "disability:self_referral"
)

targeted_assistance = RulesHandler("targeted_assistance")
old_age_pension = RulesHandler("old_age_pension")
disability_pension = RulesHandler("disability_pension")
age_benefit = RulesHandler("age_benefit")
disability_benefit = RulesHandler("disability_benefit")
disabled_child_benefit = RulesHandler("disabled_child_benefit")
survivor_benefit = RulesHandler("survivor_benefit")
childbirth_benefit = RulesHandler("childbirth_benefit")
funeral_benefit = RulesHandler("funeral_benefit")
unemployment_insurance = RulesHandler("unemployment_insurance")
