"""Confirming a notification with a fresh one-time code (ADR 0020, the `otp` level).

A representative who has filled in a notification is sent a new code to the verified phone or
e-mail of the registry, through the same challenge table, hashing, sender (the outbox) and
single-use check as the citizen sign-in (`meis.accounts.services`). The code is valid for one
pending action only: the action, its data as JSON and the SHA-256 of their canonical form
(sorted keys, no whitespace, characters as themselves) are kept in the session together with
the challenge, so a code requested for one notification cannot confirm another.

    pending = confirmation_send(request=request, person=person, action="conclude",
                                payload={...}, summary=[["Employee", "..."]])
    outcome = confirmation_verify(request=request, code="123456")
    if outcome:  # the right code: act on outcome.pending.payload, then
        confirmation_done(request=request, pending=outcome.pending, url=...)

Generic on purpose: the bulk upload confirms a batch the same way (its payload names the stored
batch). Wrong codes count towards the same lock-out as sign-in failures (3 per code, then the
code is void; `MEIS_SIGN_IN_FAILURE_LIMIT` per FİN).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from meis.accounts import throttle
from meis.accounts.access import citizen_person
from meis.accounts.delivery import one_time_code_sender
from meis.accounts.models import CodeChannel, OneTimeCode
from meis.accounts.services import (
    CODE_LIFETIME,
    CodeCheck,
    citizen_code_verify,
    code_contact,
    code_generate,
    code_hash,
)
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.registry.models import Person

SESSION_PENDING = "meis_employer_confirmation"
SESSION_DONE = "meis_employer_confirmed"
DONE_KEPT = 10


def _requests_per_fin() -> throttle.Limit:
    # More generous than sign-in codes (3 per 15 minutes): a busy office notifies many hires.
    return throttle.Limit(
        "confirm-fin",
        10 * settings.MEIS_CODE_REQUEST_LIMIT,
        datetime.timedelta(minutes=settings.MEIS_SIGN_IN_COOL_OFF_MINUTES),
    )


class ConfirmationUnavailable(Exception):
    """No code can be sent: no verified contact, or too many requests (message translated)."""


def canonical_digest(payload: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of `payload` (ADR 0020)."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Pending:
    action: str
    payload: dict[str, Any]
    summary: list[list[str]]  # (label, value) rows shown on the review page
    digest: str
    challenge_id: int
    channel: str
    expires_at: str  # ISO 8601


def _contact(person: Person) -> tuple[CodeChannel, str]:
    """Where the code goes, as for sign-in (`code_contact`); unavailable when there is nowhere."""
    channel, recipient = code_contact(person)
    if channel is None:
        raise ConfirmationUnavailable(
            _(
                "No verified mobile phone or e-mail is registered for you, so no code can be "
                "sent. Visit a DOST centre or call 142."
            )
        )
    return channel, recipient


def confirmation_send(
    *,
    request: HttpRequest,
    person: Person,
    action: str,
    payload: dict[str, Any],
    summary: list[list[str]],
) -> Pending:
    """Send a fresh code for this action and keep the action pending in the session."""
    channel, recipient = _contact(person)
    limit = _requests_per_fin()
    blocked = throttle.throttle_take(limit, person.fin)
    if blocked:
        raise ConfirmationUnavailable(
            _("Too many codes were requested. Try again after %(time)s.")
            % {"time": time_format(timezone.localtime(blocked), "H:i")}
        )
    digest = canonical_digest({"action": action, "payload": payload})
    code = code_generate()
    now = timezone.now()
    salt = secrets.token_hex(16)
    with transaction.atomic():
        challenge = OneTimeCode.objects.create(
            person=person,
            fin=person.fin,
            channel=channel,
            salt=salt,
            code_hash=code_hash(salt=salt, code=code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        audit_record(
            action=AuditAction.CODE_SENT,
            actor=request.user if request.user.is_authenticated else None,
            person=person,
            request=request,
            purpose=f"confirm {action}",
            details={"channel": channel, "challenge": challenge.pk, "digest": digest},
        )
        one_time_code_sender().send(person=person, channel=channel, recipient=recipient, code=code)
    pending = Pending(
        action=action,
        payload=payload,
        summary=summary,
        digest=digest,
        challenge_id=challenge.pk,
        channel=str(channel),
        expires_at=challenge.expires_at.isoformat(),
    )
    request.session[SESSION_PENDING] = asdict(pending)
    return pending


def confirmation_pending(*, request: HttpRequest, action: str | None = None) -> Pending | None:
    """The action waiting for its code (of this kind, when `action` is given)."""
    stored = request.session.get(SESSION_PENDING)
    if not isinstance(stored, dict):
        return None
    try:
        pending = Pending(**stored)
    except TypeError:
        return None
    if action is not None and pending.action != action:
        return None
    return pending


def confirmation_cancel(*, request: HttpRequest) -> None:
    request.session.pop(SESSION_PENDING, None)


@dataclass(frozen=True)
class Verified:
    check: CodeCheck
    pending: Pending | None = None
    message: str = ""  # why the code was refused, translated
    blocked_until: datetime.datetime | None = field(default=None)

    def __bool__(self) -> bool:
        return self.check is CodeCheck.ACCEPTED and self.pending is not None


def confirmation_verify(*, request: HttpRequest, code: str) -> Verified:
    """Check the code against the pending action's challenge (single use)."""
    pending = confirmation_pending(request=request)
    if pending is None:
        return Verified(CodeCheck.UNUSABLE, message=_refusal(CodeCheck.UNUSABLE, None))
    if canonical_digest({"action": pending.action, "payload": pending.payload}) != pending.digest:
        return Verified(CodeCheck.UNUSABLE, message=_refusal(CodeCheck.UNUSABLE, None))
    outcome = citizen_code_verify(challenge_id=pending.challenge_id, code=code, request=request)
    person = confirmation_person(request=request)
    if outcome.check is CodeCheck.ACCEPTED and (person is None or outcome.person != person):
        return Verified(CodeCheck.UNUSABLE, message=_refusal(CodeCheck.UNUSABLE, None))
    if outcome.check is not CodeCheck.ACCEPTED:
        return Verified(
            outcome.check,
            pending=pending,
            message=_refusal(outcome.check, outcome.blocked_until),
            blocked_until=outcome.blocked_until,
        )
    request.session.pop(SESSION_PENDING, None)
    return Verified(CodeCheck.ACCEPTED, pending=pending)


def confirmation_person(*, request: HttpRequest) -> Person | None:
    return citizen_person(request.user)


def _refusal(check: CodeCheck, blocked_until: datetime.datetime | None) -> str:
    if check is CodeCheck.WRONG:
        return _("This code is not right. Check the message and try again.")
    if check is CodeCheck.LOCKED and blocked_until is not None:
        return _(
            "There have been too many wrong codes. For your safety, confirmation is paused. "
            "Try again after %(time)s."
        ) % {"time": time_format(timezone.localtime(blocked_until), "H:i")}
    return _(
        "This code can no longer be used: it has expired, it was already used or it was "
        "entered wrongly 3 times. Request a new code."
    )


def confirmation_done(*, request: HttpRequest, pending: Pending, url: str) -> None:
    """Remember where a confirmed action led, so posting the same code again goes there."""
    done = dict(request.session.get(SESSION_DONE) or {})
    done[str(pending.challenge_id)] = url
    request.session[SESSION_DONE] = dict(list(done.items())[-DONE_KEPT:])


def confirmation_done_url(*, request: HttpRequest, challenge_id: object) -> str | None:
    done = request.session.get(SESSION_DONE) or {}
    url = done.get(str(challenge_id)) if isinstance(done, dict) else None
    return url if isinstance(url, str) else None
