"""Writes of the accounts app: citizen sign-in challenges, sign-in, sign-out everywhere, calls."""

from __future__ import annotations

import datetime
import hmac
import secrets
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from django.contrib.auth import login
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission, User
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from meis.accounts import throttle
from meis.accounts.delivery import one_time_code_sender
from meis.accounts.models import (
    CallSession,
    CitizenAccount,
    CodeChannel,
    OneTimeCode,
    SessionGeneration,
)
from meis.accounts.roles import Role
from meis.audit.models import AuditAction
from meis.audit.services import audit_record, client_address_from
from meis.registry.models import Person
from meis.registry.selectors import person_get_by_fin_and_document

CODE_LIFETIME = datetime.timedelta(minutes=5)
CODE_MAX_FAILED_ATTEMPTS = 3
SESSION_IDENTIFICATION_METHOD = "meis_identification_method"
# The backend a session is begun with (Django loads the user through it on every request).
SIGN_IN_BACKEND = "meis.accounts.backends.UserAndPersonBackend"

IDENTIFICATION_METHODS = {
    CodeChannel.SMS: "document+FIN+SMS code",
    CodeChannel.EMAIL: "document+FIN+e-mail code",
}


def code_generate() -> str:
    """Six random digits from the operating system's CSPRNG."""
    return f"{secrets.randbelow(10**6):06d}"


def code_hash(*, salt: str, code: str) -> str:
    """HMAC-SHA256 of the code keyed by SECRET_KEY: a stolen table alone does not reveal codes."""
    return salted_hmac(
        "meis.accounts.one-time-code", f"{salt}:{code}", algorithm="sha256"
    ).hexdigest()


def code_contact(person: Person | None) -> tuple[CodeChannel | None, str]:
    """Where a one-time code for `person` goes: the verified phone, else the verified e-mail,
    never a contact typed on a form; `(None, "")` when there is neither."""
    if person is None:
        return None, ""
    if person.verified_phone:
        return CodeChannel.SMS, person.verified_phone
    if person.verified_email:
        return CodeChannel.EMAIL, person.verified_email
    return None, ""


@dataclass(frozen=True)
class CodeRequestOutcome:
    challenge_id: int | None = None
    blocked_until: datetime.datetime | None = None


def citizen_code_request(
    *, fin: str, document_number: str, request: HttpRequest | None
) -> CodeRequestOutcome:
    """Issue a sign-in challenge for a normalised FİN and document number.

    Whether or not the pair matches a living person with a valid document and a verified
    contact, the same work is done (one look-up, one code hashed and stored, one audit event)
    and the caller gets a challenge; only a matching person is sent the code.
    """
    address = client_address_from(request) or ""
    blocked = throttle.first_block(
        [
            (throttle.sign_in_failures_per_fin(), fin),
            (throttle.sign_in_failures_per_address(), address),
        ]
    )
    # Taken, not checked then counted: with several web processes the limit stays exact.
    blocked = (
        blocked
        or throttle.throttle_take(throttle.code_requests_per_fin(), fin)
        or throttle.throttle_take(throttle.code_requests_per_address(), address)
    )
    if blocked:
        audit_record(
            action=AuditAction.SIGN_IN_FAILED,
            actor=None,
            request=request,
            details={"fin": fin, "reason": "locked"},
        )
        return CodeRequestOutcome(blocked_until=blocked)

    person = person_get_by_fin_and_document(fin=fin, document_number=document_number)
    channel, recipient = code_contact(person)
    _failure_count(fin=fin, address=address, failed=channel is None)
    code = code_generate()
    with transaction.atomic():
        challenge = _challenge_create(
            person=person if channel else None, fin=fin, channel=channel, code=code
        )
        audit_record(
            action=AuditAction.CODE_SENT if channel else AuditAction.SIGN_IN_FAILED,
            actor=None,
            person=person,
            request=request,
            details={"fin": fin, "channel": channel or "", "challenge": challenge.pk},
        )
        # Inside the transaction, like an outbox row: the sender stores the message and a
        # worker delivers it; a rolled-back challenge leaves no message behind. An unknown pair
        # gets the same work, kept nowhere (`rehearse`), each in a savepoint of its own.
        sender = one_time_code_sender()
        if person is not None and channel is not None:
            with transaction.atomic():
                sender.send(person=person, channel=channel, recipient=recipient, code=code)
        else:
            sender.rehearse(code=code)
    return CodeRequestOutcome(challenge_id=challenge.pk)


def _failure_count(*, fin: str, address: str, failed: bool) -> None:
    """Count an unknown pair against the FİN and the address; a known pair makes the same
    cache writes to twin counters that limit nothing, so that the two take the same time."""
    if failed:
        throttle.throttle_hit(throttle.sign_in_failures_per_fin(), fin)
        throttle.throttle_hit(throttle.sign_in_failures_per_address(), address)
    else:
        throttle.throttle_hit(throttle.sign_in_twin(), fin)
        throttle.throttle_hit(throttle.sign_in_twin(), address)


def _challenge_create(
    *, person: Person | None, fin: str, channel: CodeChannel | None, code: str
) -> OneTimeCode:
    now = timezone.now()
    salt = secrets.token_hex(16)
    return OneTimeCode.objects.create(
        person=person,
        fin=fin,
        channel=channel or "",
        salt=salt,
        code_hash=code_hash(salt=salt, code=code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )


class CodeCheck(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    UNUSABLE = "unusable"  # unknown, expired, already used or voided
    LOCKED = "locked"


@dataclass(frozen=True)
class CodeVerifyOutcome:
    check: CodeCheck
    person: Person | None = None
    method: str = ""
    blocked_until: datetime.datetime | None = None


def citizen_code_verify(
    *, challenge_id: int | None, code: str, request: HttpRequest | None
) -> CodeVerifyOutcome:
    """Check a code against its challenge; a right code can be used exactly once."""
    challenge = OneTimeCode.objects.filter(pk=challenge_id).first() if challenge_id else None
    if challenge is None:
        return CodeVerifyOutcome(CodeCheck.UNUSABLE)
    address = client_address_from(request) or ""
    failure_limits = [
        (throttle.sign_in_failures_per_fin(), challenge.fin),
        (throttle.sign_in_failures_per_address(), address),
    ]
    blocked = throttle.first_block(failure_limits)
    if blocked:
        return CodeVerifyOutcome(CodeCheck.LOCKED, blocked_until=blocked)
    now = timezone.now()
    if challenge.used_at or challenge.voided_at or challenge.expires_at <= now:
        return CodeVerifyOutcome(CodeCheck.UNUSABLE)
    right = hmac.compare_digest(challenge.code_hash, code_hash(salt=challenge.salt, code=code))
    if not right or challenge.person is None:
        return _code_wrong(challenge, failure_limits, request=request, now=now)
    used = OneTimeCode.objects.filter(
        pk=challenge.pk, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if used != 1:  # a concurrent request used it first
        return CodeVerifyOutcome(CodeCheck.UNUSABLE)
    throttle.throttle_reset(throttle.sign_in_failures_per_fin(), challenge.fin)
    method = IDENTIFICATION_METHODS[CodeChannel(challenge.channel)]
    return CodeVerifyOutcome(CodeCheck.ACCEPTED, person=challenge.person, method=method)


def _code_wrong(
    challenge: OneTimeCode,
    failure_limits: list[tuple[throttle.Limit, str]],
    *,
    request: HttpRequest | None,
    now: datetime.datetime,
) -> CodeVerifyOutcome:
    with transaction.atomic():
        OneTimeCode.objects.filter(pk=challenge.pk).update(failed_attempts=F("failed_attempts") + 1)
        OneTimeCode.objects.filter(
            pk=challenge.pk, failed_attempts__gte=CODE_MAX_FAILED_ATTEMPTS
        ).update(voided_at=now)
        audit_record(
            action=AuditAction.SIGN_IN_FAILED,
            actor=None,
            person=challenge.person,
            request=request,
            details={"fin": challenge.fin, "reason": "wrong code", "challenge": challenge.pk},
        )
    for limit, value in failure_limits:
        throttle.throttle_hit(limit, value)
    blocked = throttle.first_block(failure_limits)
    if blocked:
        return CodeVerifyOutcome(CodeCheck.LOCKED, blocked_until=blocked)
    return CodeVerifyOutcome(CodeCheck.WRONG)


def citizen_account_get_or_create(*, person: Person) -> User:
    """The user a person signs in as, created (without a usable password) on first sign-in."""
    account = CitizenAccount.objects.select_related("user").filter(person=person).first()
    if account is not None:
        return account.user
    with transaction.atomic():
        user = User.objects.create_user(username=f"citizen-{person.fin}")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        CitizenAccount.objects.create(user=user, person=person)
    return user


def citizen_sign_in(*, request: HttpRequest, person: Person, method: str) -> None:
    """Start the citizen's session and record how they were identified."""
    user = citizen_account_get_or_create(person=person)
    login(request, user, backend=SIGN_IN_BACKEND)
    request.session[SESSION_IDENTIFICATION_METHOD] = method
    audit_record(
        action=AuditAction.SIGN_IN,
        actor=user,
        actor_role=Role.CITIZEN,
        person=person,
        request=request,
        details={"method": method},
    )


def user_sessions_end_everywhere(*, user: AbstractBaseUser | AnonymousUser) -> None:
    """Invalidate every session of `user`: each is checked against this counter on every request."""
    if user.is_anonymous:
        return
    SessionGeneration.objects.get_or_create(user_id=user.pk)
    SessionGeneration.objects.filter(user_id=user.pk).update(generation=F("generation") + 1)


def session_generation_current(*, user_id: int) -> int:
    value = (
        SessionGeneration.objects.filter(user_id=user_id)
        .values_list("generation", flat=True)
        .first()
    )
    return value or 0


class CallListener(Protocol):
    """Told, inside the transaction, when an operator's call opens a caller's record
    (`started`) and when calls close it (`ended`, with the sessions that ended)."""

    def started(self, session: CallSession) -> None: ...

    def ended(self, *, operator_id: int, session_ids: list[int], at: datetime.datetime) -> None: ...


_call_listeners: list[CallListener] = []


def call_listener_register(listener: CallListener) -> None:
    """Let an app above accounts keep a log of calls (the call centre's `AppConfig.ready`)."""
    if listener not in _call_listeners:
        _call_listeners.append(listener)


def call_session_start(
    *, operator: User, caller: Person, identified_by: str, reference: str = ""
) -> CallSession:
    """Record that an operator identified a caller; this call now opens the caller's record.
    Any call of the operator still open ends first (one caller at a time)."""
    now = timezone.now()
    with transaction.atomic():
        _call_sessions_end(operator=operator, at=now)
        session = CallSession.objects.create(
            operator_id=operator.pk,
            caller=caller,
            reference=reference or f"142-{now:%Y%m%d}-{secrets.token_hex(4).upper()}",
            identified_by=identified_by,
            started_at=now,
        )
        for listener in _call_listeners:
            listener.started(session)
        return session


def call_session_end(*, operator: User) -> int:
    """End the operator's open calls (the number ended): the caller's record and applying on
    their behalf close with the call (`call_current` finds no call any more)."""
    with transaction.atomic():
        return _call_sessions_end(operator=operator, at=timezone.now())


def _call_sessions_end(*, operator: User, at: datetime.datetime) -> int:
    open_sessions = CallSession.objects.filter(operator_id=operator.pk, ended_at__isnull=True)
    session_ids = list(open_sessions.values_list("pk", flat=True))
    if not session_ids:
        return 0
    ended = CallSession.objects.filter(pk__in=session_ids, ended_at__isnull=True).update(
        ended_at=at
    )
    for listener in _call_listeners:
        listener.ended(operator_id=operator.pk, session_ids=session_ids, at=at)
    return ended


# --- Staff role groups -----------------------------------------------------------------------
_REGISTRY_VIEW = (
    "registry.view_person",
    "registry.view_identitydocument",
    "registry.view_household",
    "registry.view_householdmembership",
    "registry.view_employer",
)
_REGISTRY_ALL = _REGISTRY_VIEW + tuple(
    f"registry.{action}_{model}"
    for action in ("add", "change", "delete")
    for model in ("person", "identitydocument", "household", "householdmembership", "employer")
)

# The contracts register's data (classifier, grounds) and who acts for which employer are the
# administrators' to keep; contracts themselves change only through notifications.
_LABOUR_ADMIN = (
    "accounts.view_employerrepresentative",
    "accounts.add_employerrepresentative",
    "accounts.change_employerrepresentative",
    "labour.view_occupation",
    "labour.add_occupation",
    "labour.change_occupation",
    "labour.view_terminationground",
    "labour.add_terminationground",
    "labour.change_terminationground",
    "labour.view_contract",
    "labour.view_contractversion",
    "labour.view_notificationbatch",
)

# Group name (= meis.accounts.roles.Role value) → model permissions in the admin. Only
# administrators maintain the registry there; every other role reads a person through the staff
# pages, where the access funnel (`meis.accounts.access`) decides whom they may see and audits it.
# Analysts see statistics only, never personal data.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "case_worker": (),
    "centre_head": (),
    "call_centre_operator": (),
    "commission_member": (),
    # Refers people to the commissions on the disability register's pages only.
    "medical_staff": (),
    "labour_inspector": (),
    "analyst": (),
    "auditor": (),
    # The message desk (re-sending a message that failed) is the administrators' too.
    "administrator": _REGISTRY_ALL
    + _LABOUR_ADMIN
    + ("notifications.view_message", "notifications.resend_message"),
}


def _permissions(codes: tuple[str, ...]) -> list[Permission]:
    query = Q(pk__in=[])
    for code in codes:
        app_label, codename = code.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def staff_groups_ensure() -> dict[str, Group]:
    """The staff role groups with their model permissions (created or corrected)."""
    groups = {}
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(codes))
        groups[name] = group
    return groups
