"""Appeal (şikayət): the applicant challenges a decided case within the legal period.

The appeal is a case of its own — the same service, centre, applicant, answers and contact, its
own reference and its own legal deadline (`appeals.decision_working_days` working days on the
national calendar, a dated parameter) — linked to the decision it challenges (`appeal_of`). It
is decided like any case (`decide`), against the rules evaluated on the day the original
application was filed, by an officer who took no part in the decision appealed (the services
refuse them, and their queue does not show it). The period: `appeals.period_months` after the
decision (`decision_selectors.appeal_window`); one appeal per decision, and none against the
decision on an appeal (a court is next).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.access import citizen_person, staff_institution
from meis.audit.services import audit_record
from meis.cases.decision_selectors import APPEAL_WORKING_DAYS, appeal_window
from meis.cases.models import Case, CaseEvent, CaseStatus, Channel
from meis.cases.services.common import Actor, case_usage, event_add, role_of
from meis.cases.services.delivery import received_notify
from meis.cases.services.errors import CaseActionError, IdempotencyKeyReused
from meis.cases.services.references import reference_next
from meis.rules.store import default_store
from meis.usage.models import UsageKind
from meis.workcalendar.selectors import deadline_due_on

GROUNDS_MAX_LENGTH = 4000


@transaction.atomic
def case_appeal(
    *,
    case: Case,
    actor: Actor,
    grounds: str,
    idempotency_key: str,
    request: HttpRequest | None = None,
) -> Case:
    """Lodge the applicant's appeal against the decision on `case`; the appeal case.

    The same idempotency key again returns the appeal already lodged. Refused, with the reason,
    for anyone but the applicant, without grounds, after the period, or while (or after) another
    appeal against the same decision is considered.
    """
    own = citizen_person(actor)
    if own is None or own.pk != case.person_id:
        raise CaseActionError(_("Only the applicant can appeal this decision."))
    existing = Case.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.appeal_of_id != case.pk:
            raise IdempotencyKeyReused(_("This request key was already used for another case."))
        return existing
    grounds = grounds.strip()
    if not grounds:
        raise CaseActionError(_("Say why you disagree with the decision."))
    if len(grounds) > GROUNDS_MAX_LENGTH:
        raise CaseActionError(
            _("Keep the grounds of your appeal under %(count)d characters.")
            % {"count": GROUNDS_MAX_LENGTH}
        )
    # One appeal at a time: lock the decided case, then look again for an appeal against it.
    case = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    window = appeal_window(case)
    if not window.is_open:
        raise CaseActionError(window.why_not)
    appeal = _appeal_create(case, actor=actor, grounds=grounds, idempotency_key=idempotency_key)
    _lodged_record(case, appeal, actor=actor, request=request)
    return appeal


def _appeal_create(case: Case, *, actor: Actor, grounds: str, idempotency_key: str) -> Case:
    now = timezone.now()
    today = timezone.localdate(now)
    working_days = default_store().value(APPEAL_WORKING_DAYS, on=today)
    assert isinstance(working_days, int)  # noqa: S101 — a `count` parameter is whole
    return Case.objects.create(
        reference=reference_next(year=today.year),
        idempotency_key=idempotency_key,
        channel=Channel.PORTAL,
        person=case.person,
        acting_user=actor if isinstance(actor, User) else None,
        service_version=case.service_version,
        subsystem=case.subsystem,
        centre=case.centre,
        answers=case.answers,
        language=case.person.preferred_language or "az",
        contact_channel=case.contact_channel,
        contact_value=case.contact_value,
        submitted_at=now,
        submitted_on=today,
        decision_working_days=working_days,
        due_on=deadline_due_on(submitted_on=today, working_days=working_days),
        appeal_of=case,
        appeal_grounds=grounds,
    )


def _lodged_record(case: Case, appeal: Case, *, actor: Actor, request: HttpRequest | None) -> None:
    """The timelines of both cases, the audit event, the usage event, the pre-check task and
    the acknowledgement, in the appeal's transaction."""
    from meis.cases.tasks import case_precheck

    event_add(appeal, CaseEvent.Kind.SUBMITTED, actor=actor, status_after=CaseStatus.SUBMITTED)
    event_add(
        case, CaseEvent.Kind.APPEALED, actor=actor, status_after=case.status, note=appeal.reference
    )
    audit_record(
        action="case.appeal",
        actor=actor,
        actor_role=role_of(actor),
        actor_institution=staff_institution(actor),
        person=case.person,
        obj=appeal,
        purpose=f"{appeal.reference} against {case.reference}",
        request=request,
        details={"reference": appeal.reference, "appeal_of": case.reference},
    )
    case_usage(appeal, UsageKind.APPEAL, occurred_at=appeal.submitted_at)
    case_precheck.enqueue(appeal.pk)
    received_notify(appeal)
