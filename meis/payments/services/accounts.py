"""Where a person's awards are paid: set or change the payment account, keeping its history.

A citizen's change is confirmed by a one-time code, as their sign-in is: `account_change_request`
stores the new account as an `AccountChange` and a sign-in challenge (`accounts.OneTimeCode`,
the same code, hash, lifetime and sender, through the notifications outbox) for the person's
verified contact, its requests limited by the contact-code throttles; `account_change_confirm`
checks the code with `citizen_code_verify` (3 wrong codes void it; wrong codes count against
the person's sign-in lock-out too) and only then records the account. Staff change it directly,
with a reason (`payment_account_set`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.translation import gettext as _

from meis.accounts import throttle
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
from meis.audit.services import audit_record, client_address_from
from meis.core.identifiers import InvalidIdentifier, normalize_iban
from meis.payments.models import (
    AccountChange,
    AccountKind,
    Bank,
    Branch,
    CardOrder,
    CardState,
    PaymentAccount,
    PaymentTask,
    TaskKind,
)
from meis.payments.services.errors import PaymentError
from meis.registry.models import Person

Actor = User | AnonymousUser | None


def bank_for_iban(iban: str) -> Bank:
    """The directory's bank of a valid IBAN, by the 4 letters after `AZkk`; refused if absent."""
    bank = Bank.objects.filter(iban_code=iban[4:8], is_active=True).first()
    if bank is None:
        raise PaymentError(
            _(
                "The bank code %(code)s in this IBAN is not a bank that pays awards. Give the "
                "IBAN of an account in one of the banks listed, or ask your bank for it."
            )
            % {"code": iban[4:8]},
            code="iban_unknown_bank",
        )
    return bank


def account_checked(*, iban: str, branch: Branch | None) -> tuple[str, Bank]:
    """The normalised IBAN and its directory bank; refused when malformed, of a bank not in the
    directory, or when `branch` is a branch of another bank."""
    try:
        iban = normalize_iban(iban)
    except InvalidIdentifier as error:
        raise PaymentError(" ".join(error.messages), code=str(error.code)) from None
    bank = bank_for_iban(iban)
    if branch is not None and branch.bank_id != bank.pk:
        raise PaymentError(
            _(
                "The branch %(branch)s is not a branch of %(bank)s, the bank of this IBAN. "
                "Choose a branch of %(bank)s."
            )
            % {"branch": f"{branch.bank.name}, {branch.name}", "bank": bank.name},
            code="branch_of_another_bank",
        )
    return iban, bank


def payment_account_set(
    *,
    person: Person,
    iban: str,
    actor: Actor,
    reason: str,
    branch: Branch | None = None,
    kind: str = AccountKind.ACCOUNT,
) -> PaymentAccount:
    """Pay `person`'s awards to `iban` from now on; the current account (if any) ends now."""
    iban, bank = account_checked(iban=iban, branch=branch)
    now = timezone.now()
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        current = (
            PaymentAccount.objects.select_for_update()
            .filter(person=person, ended_at__isnull=True)
            .first()
        )
        if current is not None and current.iban == iban and current.returned_at is not None:
            raise PaymentError(
                _(
                    "The bank returned a payment sent to this account, so payments to it are "
                    "held. Give the IBAN of another account, open in one of the banks listed."
                ),
                code="account_returned",
            )
        if (
            current is not None
            and current.iban == iban
            and current.branch_id == getattr(branch, "pk", None)
        ):
            return current
        if current is not None:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
        account = PaymentAccount.objects.create(
            person=person,
            iban=iban,
            bank=bank,
            branch=branch,
            valid_from=now,
            changed_by=user,
            reason=reason[:500],
            kind=kind,
        )
        # An account of the person's own makes a card still being issued unnecessary.
        if kind == AccountKind.ACCOUNT:
            CardOrder.objects.filter(person=person, state=CardState.ORDERED).update(
                state=CardState.CANCELLED
            )
        # A new account answers the tasks opened for payments returned from the old one.
        PaymentTask.objects.filter(
            person=person, kind=TaskKind.RETURNED_PAYMENT, resolved_at__isnull=True
        ).update(resolved_at=now, resolved_by=user)
        audit_record(
            action="payments.account_set",
            actor=user,
            person=person,
            obj=account,
            purpose=reason[:255] or "Payment account set",
            details={
                "bank": bank.code,
                "branch": getattr(branch, "code", ""),
                "kind": kind,
                "replaces": current.pk if current else None,
            },
        )
    return account


def _contact(person: Person) -> tuple[CodeChannel, str]:
    """Where the code goes, as for sign-in (`code_contact`); refused when there is nowhere."""
    channel, recipient = code_contact(person)
    if channel is None:
        raise PaymentError(
            _(
                "We cannot send you a code: no verified phone number or e-mail address is "
                "recorded for you. Bring your identity card to a service centre to change your "
                "account there."
            ),
            code="no_verified_contact",
        )
    return channel, recipient


def _codes_take(person: Person, recipient: str, address: str) -> None:
    """The contact-code limits (per client address, person and destination), each taken."""
    for limit, value in (
        (throttle.contact_codes_per_address(), address or "unknown"),
        (throttle.contact_codes_per_person(), person.fin),
        (throttle.contact_codes_per_destination(), recipient.lower()),
    ):
        blocked = throttle.throttle_take(limit, value)
        if blocked:
            raise PaymentError(
                _("Too many codes were requested. Try again after %(time)s.")
                % {"time": time_format(timezone.localtime(blocked), "H:i")},
                code="too_many_codes",
            )


def masked_contact(channel: str, recipient: str) -> str:
    """The contact a code went to, as a page may show it: +99450***4567, a***@example.az."""
    if channel == CodeChannel.EMAIL:
        name, _at, domain = recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{recipient[:6]}***{recipient[-4:]}"


def account_change_request(
    *,
    person: Person,
    iban: str,
    actor: Actor,
    branch: Branch | None = None,
    request: HttpRequest | None = None,
) -> AccountChange:
    """Send a code to the person's verified contact to confirm `iban` as their new account.

    Nothing changes until `account_change_confirm`; an unconfirmed request simply expires with
    its code. Each request voids the person's earlier unconfirmed ones.
    """
    iban, bank = account_checked(iban=iban, branch=branch)
    current = PaymentAccount.objects.filter(person=person, ended_at__isnull=True).first()
    if (
        current is not None
        and current.iban == iban
        and current.branch_id == getattr(branch, "pk", None)
    ):
        raise PaymentError(
            _("This is already your payment account: nothing to change."), code="unchanged"
        )
    channel, recipient = _contact(person)
    _codes_take(person, recipient, client_address_from(request) or "")
    code = code_generate()
    now = timezone.now()
    salt = secrets.token_hex(16)
    with transaction.atomic():
        OneTimeCode.objects.filter(
            pk__in=AccountChange.objects.filter(
                person=person, confirmed_at__isnull=True, challenge__isnull=False
            ).values("challenge_id"),
            used_at__isnull=True,
        ).update(voided_at=now)
        challenge = OneTimeCode.objects.create(
            person=person,
            fin=person.fin,
            channel=channel,
            salt=salt,
            code_hash=code_hash(salt=salt, code=code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        change = AccountChange.objects.create(
            person=person,
            iban=iban,
            bank=bank,
            branch=branch,
            challenge=challenge,
            channel=channel,
            requested_at=now,
        )
        audit_record(
            action="payments.account_change_requested",
            actor=actor if actor is not None and actor.is_authenticated else None,
            person=person,
            obj=change,
            request=request,
            purpose="Payment account change: code sent",
            details={"bank": bank.code, "channel": channel, "challenge": challenge.pk},
        )
        # In this transaction, as an outbox row: a rolled-back request leaves no message.
        one_time_code_sender().send(person=person, channel=channel, recipient=recipient, code=code)
    return change


@dataclass(frozen=True)
class ChangeConfirmed:
    account: PaymentAccount
    already: bool  # the change had been confirmed before (a second submission): nothing new


def account_change_confirm(
    *, change: AccountChange, code: str, actor: Actor, request: HttpRequest | None = None
) -> ChangeConfirmed:
    """Check the code of `change`; right, the new account is recorded (once, however often
    the form is sent). Wrong, expired, used or locked: a PaymentError saying what to do."""
    if change.account_id is not None:
        return ChangeConfirmed(account=change.account, already=True)  # type: ignore[arg-type]
    outcome = citizen_code_verify(challenge_id=change.challenge_id, code=code, request=request)
    if outcome.check is CodeCheck.WRONG:
        raise PaymentError(
            _("This code is not right. Check the message and try again."), code="code_wrong"
        )
    if outcome.check is CodeCheck.LOCKED and outcome.blocked_until:
        raise PaymentError(
            _(
                "There have been too many wrong codes. For your safety, codes are paused. Try "
                "again after %(time)s."
            )
            % {"time": time_format(timezone.localtime(outcome.blocked_until), "H:i")},
            code="code_locked",
        )
    if outcome.check is not CodeCheck.ACCEPTED or outcome.person != change.person:
        raise PaymentError(
            _(
                "This code can no longer be used: it has expired, it was already used or it was "
                "entered wrongly 3 times. Enter the account again to get a new code."
            ),
            code="code_unusable",
        )
    with transaction.atomic():
        locked = AccountChange.objects.select_for_update().get(pk=change.pk)
        if locked.account_id is not None:
            return ChangeConfirmed(account=locked.account, already=True)  # type: ignore[arg-type]
        account = payment_account_set(
            person=change.person,
            iban=change.iban,
            branch=change.branch,
            actor=actor,
            reason="Changed by the citizen on My payments, confirmed by a one-time code",
        )
        locked.account = account
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["account", "confirmed_at"])
    change.refresh_from_db()
    return ChangeConfirmed(account=account, already=False)
