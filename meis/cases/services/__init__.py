"""Writes of the case engine: submit (idempotent) and the explicit state transitions.

Every function is one transaction that writes its timeline event and its audit event; messages
to the citizen are outbox rows written in the same transaction. Transitions use optimistic
locking: a conditional UPDATE on (id, version, allowed statuses), so of two people acting on the
same version of a case exactly one wins and the other gets `CaseConflict`.

Status machine:
    submitted ─claim→ in_review ─request_information→ awaiting_information ─answer→ in_review
    in_review ─approve→ approved | ─reject→ rejected          (as the rules find)
    in_review ─approve | reject, departing from the rules, with a reason→ awaiting_confirmation
    awaiting_confirmation ─confirm (a second officer)→ approved | rejected
    awaiting_confirmation ─return (a second officer)→ in_review
    any open status ─withdraw→ withdrawn
    approved | rejected ─appeal (the applicant, within the period)→ a new case (`appeal_of`)
    an instant service: filed and approved at once by the system (`case_submit_instant`)

One module per part: `submit`, `transitions` (claim, assign, withdraw), `requests` (ask for and
answer information), `decide` (approve, reject, confirm or return a departure), `awarding` (the
award a decision grants, its start and arrears), `appeals` (lodge an appeal), `delivery`
(messages to the citizen), `instant` (file and decide an instant service at once), `answers`
(answers and documents), `references`, `background` (pre-check, escalation). Import from this
package: the names below are its public interface.
"""

from meis.cases.services.answers import (
    answers_clean,
    answers_safe,
    document_definition,
    document_save,
    documents_missing,
)
from meis.cases.services.appeals import case_appeal
from meis.cases.services.background import case_precheck_store, cases_escalate_breached
from meis.cases.services.common import Actor, subsystem_code
from meis.cases.services.decide import (
    case_approve,
    case_decision_confirm,
    case_decision_return,
    case_reject,
    require_second_officer,
)
from meis.cases.services.delivery import (
    case_service_name,
    decision_explanation,
    decision_text,
)
from meis.cases.services.errors import (
    CaseActionError,
    CaseConflict,
    CaseInvalid,
    IdempotencyKeyReused,
    IllegalTransition,
    OneAtATime,
)
from meis.cases.services.instant import case_submit_instant
from meis.cases.services.references import REFERENCE_SEQUENCE, reference_next
from meis.cases.services.requests import case_answer, case_request_information
from meis.cases.services.submit import SubmitResult, case_submit
from meis.cases.services.transitions import (
    WORKER_ROLES,
    case_assign,
    case_claim,
    case_withdraw,
)

__all__ = [
    "REFERENCE_SEQUENCE",
    "WORKER_ROLES",
    "Actor",
    "CaseActionError",
    "CaseConflict",
    "CaseInvalid",
    "IdempotencyKeyReused",
    "IllegalTransition",
    "OneAtATime",
    "SubmitResult",
    "answers_clean",
    "answers_safe",
    "case_answer",
    "case_appeal",
    "case_approve",
    "case_assign",
    "case_claim",
    "case_decision_confirm",
    "case_decision_return",
    "case_precheck_store",
    "case_reject",
    "case_service_name",
    "case_request_information",
    "case_submit",
    "case_submit_instant",
    "case_withdraw",
    "cases_escalate_breached",
    "decision_explanation",
    "decision_text",
    "document_definition",
    "document_save",
    "documents_missing",
    "reference_next",
    "require_second_officer",
    "subsystem_code",
]
