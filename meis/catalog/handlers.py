"""Service handlers: what evaluates an application and what may decide it.

A catalogue entry names its handler by dotted path (e.g. `meis.catalog.handlers.targeted_assistance`);
the path must lead to an object with the `Handler` protocol's two methods:

* `evaluate(facts, on=...)` → `PreCheck`: the pre-check the case worker sees, with its
  explanation and (for rules-based services) the full rules trace;
* `decide(facts, on=...)` → `Decision`: a proposed outcome. `is_final` is True only for instant
  services, whose handler decides without a person; everything else waits for a case worker.

`facts` are the application's answers plus the registry facts the case engine gathered, named
as the rules scheme names them (see `meis rules list`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable

from django.utils.module_loading import import_string

from meis.rules.engine import evaluate_case
from meis.rules.errors import FactError
from meis.rules.schemes import get_scheme


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
class RulesHandler:
    """Pre-check by a `meis.rules` scheme (single-case evaluation with its trace).

    The decision stays with a case worker (`is_final=False`): the pre-check proposes.
    """

    scheme: str

    def evaluate(self, facts: Mapping[str, Any], *, on: date) -> PreCheck:
        try:
            result = evaluate_case(get_scheme(self.scheme), facts, on=on)
        except FactError as error:
            return PreCheck(
                outcome=PreCheckOutcome.INCOMPLETE,
                explanation=f"The rules could not be evaluated: {error}",
            )
        refusals = tuple(result.trace["refusals"])
        unmet = tuple(result.trace["unmet_requirements"])
        if result.outcome:
            explanation = f"{get_scheme(self.scheme).title}: the conditions are met."
        else:
            explanation = (
                f"{get_scheme(self.scheme).title}: not met — " + ", ".join(refusals + unmet) + "."
            )
        return PreCheck(
            outcome=PreCheckOutcome.ELIGIBLE if result.outcome else PreCheckOutcome.NOT_ELIGIBLE,
            explanation=explanation,
            reasons=refusals + unmet,
            amount_qepik=result.amount_qepik,
            trace=result.trace,
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
appointment_booking = NotImplementedHandler("Booking a pickup appointment")

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
