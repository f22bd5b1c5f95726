"""Reads of decisions and appeals: the rules behind a case, its decisions, the appeal window.

Kept beside `selectors.py` (the case reads): these work on a case already granted by the access
funnel (`meis.cases.access.case_get_for_actor`), or, for the queue, on the worker's own centre.

Who decided: the officers of a case's *taken* decision — the one who decided and, for a
departure from the rules, the second officer who confirmed it. Neither may handle an appeal
against it (`original_deciders`, used by the services and by `queue_list_for_worker`).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meis.accounts.models import StaffProfile
from meis.awards.models import HELD_STATUSES, Award
from meis.cases.models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseDecision,
    DecisionState,
)
from meis.cases.selectors import case_rules_result, queue_list
from meis.catalog.handlers import (
    HandlerNotAvailable,
    PreCheck,
    PreCheckOutcome,
    handler_resolve,
)
from meis.catalog.selectors import version_definition
from meis.rules.explain import format_date
from meis.rules.store import default_store
from meis.workcalendar.selectors import national_calendar

APPEAL_PERIOD = "appeals.period_months"
APPEAL_WORKING_DAYS = "appeals.decision_working_days"


def case_scheme(case: Case) -> str | None:
    """The rules scheme that evaluates the case's service; None for a service without one."""
    handler = handler_resolve(version_definition(case.service_version).handler)
    scheme = getattr(handler, "scheme", None)
    return scheme if isinstance(scheme, str) else None


@dataclass(frozen=True)
class Rules:
    """The rules' result a decision is taken against: the scheme's, on the application's date."""

    scheme: str
    on: datetime.date
    result: PreCheck

    @property
    def trace(self) -> Mapping[str, Any]:
        return self.result.trace

    @property
    def is_assessed(self) -> bool:
        """The rules could decide (eligible or not); False when facts are missing."""
        return self.result.outcome in (PreCheckOutcome.ELIGIBLE, PreCheckOutcome.NOT_ELIGIBLE)


def rules_for(case: Case) -> Rules | None:
    """The rules' result for the case now (`case_rules_result` on `rules_on(case)`); None for
    a service without rules."""
    scheme = case_scheme(case)
    if scheme is None:
        return None
    on = rules_on(case)
    try:
        result = case_rules_result(case, on=on)
    except HandlerNotAvailable:
        return None
    return Rules(scheme=scheme, on=on, result=result)


def application_of(case: Case) -> Case:
    """The application a case decides: itself, or for an appeal the case appealed against."""
    return case.appeal_of if case.appeal_of is not None else case


def rules_on(case: Case) -> datetime.date:
    """The date the rules are evaluated on: the day the application (not its appeal) was filed,
    so that an appeal decides what the first decision should have decided."""
    return application_of(case).submitted_on


def decision_taken(case: Case) -> CaseDecision | None:
    """The decision that took effect on the case (at most one), with its officers and award."""
    return (
        CaseDecision.objects.filter(case=case, state=DecisionState.TAKEN)
        .select_related("proposed_by", "reviewed_by", "award")
        .first()
    )


def decision_proposed(case: Case) -> CaseDecision | None:
    """The departure waiting for a second officer (at most one)."""
    return (
        CaseDecision.objects.filter(case=case, state=DecisionState.PROPOSED)
        .select_related("proposed_by")
        .first()
    )


def case_decisions(case: Case) -> list[CaseDecision]:
    """Every decision on the case, proposed, returned or taken, oldest first."""
    return list(
        CaseDecision.objects.filter(case=case)
        .select_related("proposed_by", "reviewed_by", "award")
        .order_by("proposed_at", "id")
    )


def original_deciders(case: Case) -> set[int]:
    """For an appeal, the user ids of the officers who took the decision appealed against."""
    if case.appeal_of_id is None:
        return set()
    taken = CaseDecision.objects.filter(case_id=case.appeal_of_id, state=DecisionState.TAKEN)
    ids: set[int] = set()
    for proposed_by, reviewed_by in taken.values_list("proposed_by_id", "reviewed_by_id"):
        ids.add(proposed_by)
        if reviewed_by is not None:
            ids.add(reviewed_by)
    return ids


def queue_list_for_worker(
    *, profile: StaffProfile, user: User | AnonymousUser, is_head: bool, open_only: bool = True
) -> QuerySet[Case]:
    """The worker's queue (`queue_list`) without appeals against decisions they took."""
    decided_by_user = CaseDecision.objects.filter(state=DecisionState.TAKEN).filter(
        Q(proposed_by_id=user.pk) | Q(reviewed_by_id=user.pk)
    )
    return queue_list(profile=profile, is_head=is_head, open_only=open_only).exclude(
        appeal_of_id__in=decided_by_user.values("case_id")
    )


def award_held(award: Award | None) -> Award | None:
    """The award that stands for `award` today: itself, or the one that last replaced it;
    None when that one is no longer held (active or suspended)."""
    current = award
    while current is not None:
        successor = Award.objects.filter(supersedes=current).first()
        if successor is None:
            break
        current = successor
    if current is None or current.status not in HELD_STATUSES:
        return None
    return current


def appeal_chain(case: Case) -> list[Case]:
    """The application and every appeal against its decision, oldest first."""
    original = application_of(case)
    appeals = Case.objects.filter(appeal_of=original).select_related("service_version")
    return [original, *appeals.order_by("submitted_at", "id")]


@dataclass(frozen=True)
class AppealWindow:
    """Whether the applicant may appeal the case's decision now, and until when."""

    is_open: bool
    until: datetime.date | None = None
    why_not: str = ""


def appeal_until(decided_on: datetime.date) -> datetime.date:
    """The last day to appeal a decision taken on `decided_on`: the appeal period (a dated
    parameter) later, moved to the next working day when it ends on a day off."""
    months = default_store().value(APPEAL_PERIOD, on=decided_on)
    assert isinstance(months, int)  # noqa: S101 — a `months` parameter is whole
    last = _add_months(decided_on, months)
    calendar_ = national_calendar()
    return last if calendar_.is_working_day(last) else calendar_.next_working_day(last)


def appeal_window(case: Case, *, on: datetime.date | None = None) -> AppealWindow:
    """May the case's decision be appealed on `on` (today by default)? Says why not."""
    today = on or timezone.localdate()
    if case.appeal_of_id is not None:
        return AppealWindow(
            False,
            why_not=_(
                "This is already the decision on an appeal. If you disagree, you can take it to "
                "an administrative court."
            ),
        )
    if case.status not in DECIDED_STATUSES or case.decided_at is None:
        return AppealWindow(False, why_not=_("Only a decided application can be appealed."))
    until = appeal_until(timezone.localdate(case.decided_at))
    pending = Case.objects.filter(appeal_of=case, status__in=OPEN_STATUSES).first()
    if pending is not None:
        return AppealWindow(
            False,
            until,
            _("Your appeal %(reference)s against this decision is being considered.")
            % {"reference": pending.reference},
        )
    if Case.objects.filter(appeal_of=case, status__in=DECIDED_STATUSES).exists():
        return AppealWindow(
            False,
            until,
            _(
                "Your appeal against this decision has been decided. If you disagree, you can "
                "take it to an administrative court."
            ),
        )
    if today > until:
        return AppealWindow(
            False,
            until,
            _(
                "The period to appeal this decision ended on %(date)s. You can still take it to "
                "an administrative court, or apply again if your situation has changed."
            )
            % {"date": format_date(until, _language())},
        )
    return AppealWindow(True, until)


def _language() -> str:
    language = (get_language() or "az")[:2]
    return language if language in ("az", "en", "ru") else "az"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))
