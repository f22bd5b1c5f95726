"""Suspending an award and resuming it: an officer's decision with a reason, audited, told.

    award_suspend(award=…, reason=…, actor=officer)   # stops payment from `on` (default today)
    award_resume(award=…, reason=…, actor=officer)    # pays again from `on`

Each is one transaction: the award's status, the suspension period (`AwardSuspension`, the
history the award page shows), the audit event and the letter to the person. A suspended award
is still held: it keeps its place under the exclusivity rule, and the daily job still ends it
at its end date or at the person's death.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.access import actor_roles, role_codes
from meis.accounts.roles import Role
from meis.audit.services import audit_record
from meis.awards.models import Award, AwardStatus, AwardSuspension
from meis.awards.services.errors import AwardError
from meis.awards.services.letters import award_letter_queue
from meis.notifications.events import EventCode

Actor = User | AnonymousUser
# Who decides on a person's payments: the case worker, the centre's head, an administrator.
DECIDING_ROLES = frozenset({Role.CASE_WORKER, Role.CENTRE_HEAD, Role.ADMINISTRATOR})
REASON_MAX = AwardSuspension._meta.get_field("reason").max_length or 500


def award_suspend(
    *,
    award: Award,
    reason: str,
    actor: Actor,
    on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> AwardSuspension:
    """Stop paying an active award from `on`, with the reason the person is told."""
    role = _deciding_role(actor)
    reason = _reason(
        reason, missing=_("Give the reason for suspending the award: the person is told it.")
    )
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Award.objects.select_for_update().select_related("person").get(pk=award.pk)
        if locked.status != AwardStatus.ACTIVE:
            raise AwardError(
                _("Only an active award can be suspended; this one is %(status)s.")
                % {"status": locked.get_status_display().lower()}
            )
        if on < locked.start_on or (locked.end_on is not None and on > locked.end_on):
            raise AwardError(
                _("Choose a date within the award's period, %(start)s to %(end)s.")
                % {
                    "start": f"{locked.start_on:%d.%m.%Y}",
                    "end": f"{locked.end_on:%d.%m.%Y}" if locked.end_on else "…",
                }
            )
        suspension = AwardSuspension.objects.create(
            award=locked, suspended_on=on, reason=reason, suspended_by=_user(actor)
        )
        locked.status = AwardStatus.SUSPENDED
        locked.save(update_fields=["status"])
        _audit("award.suspend", locked, actor, role, request, reason=reason, on=on)
        award_letter_queue(
            award=locked,
            event=EventCode.AWARD_SUSPENDED,
            on=on,
            reason=reason,
            dedupe_key=f"award:{locked.pk}:suspended:{suspension.pk}",
        )
    award.refresh_from_db()
    return suspension


def award_resume(
    *,
    award: Award,
    reason: str,
    actor: Actor,
    on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> AwardSuspension:
    """Pay a suspended award again from `on`, closing its open suspension."""
    role = _deciding_role(actor)
    reason = _reason(
        reason, missing=_("Give the reason for resuming the award: the person is told it.")
    )
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Award.objects.select_for_update().select_related("person").get(pk=award.pk)
        suspension = locked.suspensions.filter(resumed_on__isnull=True).first()
        if locked.status != AwardStatus.SUSPENDED or suspension is None:
            raise AwardError(
                _("Only a suspended award can be resumed; this one is %(status)s.")
                % {"status": locked.get_status_display().lower()}
            )
        if on < suspension.suspended_on:
            raise AwardError(
                _("The award was suspended from %(from)s: resume it from that day or later.")
                % {"from": f"{suspension.suspended_on:%d.%m.%Y}"}
            )
        suspension.resumed_on, suspension.resume_reason = on, reason
        suspension.resumed_by = _user(actor)
        suspension.save(update_fields=["resumed_on", "resume_reason", "resumed_by"])
        locked.status = AwardStatus.ACTIVE
        locked.save(update_fields=["status"])
        _audit("award.resume", locked, actor, role, request, reason=reason, on=on)
        award_letter_queue(
            award=locked,
            event=EventCode.AWARD_RESUMED,
            on=on,
            reason=reason,
            dedupe_key=f"award:{locked.pk}:resumed:{suspension.pk}",
        )
    award.refresh_from_db()
    return suspension


def _deciding_role(actor: Actor) -> str:
    roles = actor_roles(actor)
    if not roles & DECIDING_ROLES:
        raise AwardError(
            _(
                "Only a case worker, a centre head or an administrator may suspend or resume an award."
            )
        )
    return role_codes(roles)


def _reason(reason: str, *, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise AwardError(missing)
    if len(reason) > REASON_MAX:
        raise AwardError(
            _("Shorten the reason to %(count)s characters at most.") % {"count": REASON_MAX}
        )
    return reason


def _audit(
    action: str,
    award: Award,
    actor: Actor,
    role: str,
    request: HttpRequest | None,
    *,
    reason: str,
    on: datetime.date,
) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=role,
        person=award.person,
        obj=award,
        purpose=reason,
        request=request,
        details={"award": award.pk, "kind": award.kind, "on": on.isoformat(), "reason": reason},
    )


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None
