"""Where a person's awards are paid: set or change the payment account, keeping its history."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.audit.services import audit_record
from meis.core.identifiers import InvalidIdentifier, normalize_iban
from meis.payments.models import Bank, Branch, PaymentAccount, PaymentTask, TaskKind
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


def payment_account_set(
    *,
    person: Person,
    iban: str,
    actor: Actor,
    reason: str,
    branch: Branch | None = None,
) -> PaymentAccount:
    """Pay `person`'s awards to `iban` from now on; the current account (if any) ends now."""
    try:
        iban = normalize_iban(iban)
    except InvalidIdentifier as error:
        raise PaymentError(" ".join(error.messages), code=str(error.code)) from None
    bank = bank_for_iban(iban)
    if branch is not None and branch.bank_id != bank.pk:
        raise PaymentError(
            _("The branch %(branch)s is not a branch of %(bank)s, the bank of this IBAN.")
            % {"branch": branch.name, "bank": bank.name},
            code="branch_of_another_bank",
        )
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
            details={"bank": bank.code, "replaces": current.pk if current else None},
        )
    return account
