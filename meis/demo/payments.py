"""Paying what was awarded, in the demo (issue 23's done-when).

Last month's payroll is computed by `demo-payroll` and approved by `demo-admin` (the second
administrator), and its files are written, one validated pain.001 per bank; a demo pensioner
sees the payment on My payments. Kapital Bank's statement (camt.054) returns two payments
(closed account, wrong account number): those two recipients are held from then on. A death is
then registered late, dated before last month, for a pensioner paid last month: computing this
month's payroll finds that payment an overpayment and writes to the family. This month's payroll
waits for `demo-admin`'s approval on the payroll page.

Idempotent: once last month's run exists nothing is done again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from meis.accounts.roles import Role
from meis.awards.models import HELD_STATUSES, Award
from meis.core.identifiers import iban_with_check_digits
from meis.demo.staff import DemoStaff, _demo_staff_create
from meis.payments.bank_statement import camt054_write, sent_payments
from meis.payments.models import Bank, PaymentAccount, PayrollItem, PayrollRun
from meis.payments.services import (
    payment_account_set,
    payment_files_write,
    payroll_approve,
    payroll_compute,
    statement_import,
)
from meis.registry.models import HouseholdMembership, Person

PAYROLL_OFFICER = DemoStaff("demo-payroll", Role.ADMINISTRATOR, None, (), "Ministry of Labour")
# The pension banks first, as the market shares of bench/payroll.py.
BANK_CODES = ("AIIB", "AIIB", "AIIB", "IBAZ", "AZPO", "HAJC")
# One award holder in this many has given no account yet: their payments are held.
WITHOUT_ACCOUNT_EVERY = 25
RETURN_REASONS = ("AC04", "AC01")


@dataclass(frozen=True)
class DemoPayments:
    last_month: PayrollRun | None
    this_month: PayrollRun | None
    pensioner: Person | None
    deceased: Person | None
    returned: tuple[Person, ...]

    def lines(self) -> list[str]:
        if self.last_month is None:
            return []
        lines = [
            "",
            f"Demo payroll: {self.last_month.month:%m.%Y} released (demo-payroll computed it, "
            "demo-admin approved it; files under Monthly payroll)",
        ]
        if self.pensioner is not None:
            lines.append(
                f"  pensioner who sees the payment (My payments): FİN {self.pensioner.fin}"
            )
        for person in self.returned:
            lines.append(f"  payment returned by the bank, now held: FİN {person.fin}")
        if self.deceased is not None:
            lines.append(
                f"  death registered after the run, overpayment claimed: FİN {self.deceased.fin}"
            )
        if self.this_month is not None:
            lines.append(f"  {self.this_month.month:%m.%Y} computed: demo-admin approves it")
        return lines


def payments_demo_load(*, on: datetime.date) -> DemoPayments:
    last_month = (on.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if PayrollRun.objects.filter(month=last_month).exists():
        return DemoPayments(PayrollRun.objects.get(month=last_month), None, None, None, ())
    _demo_staff_create(PAYROLL_OFFICER)
    officer = User.objects.get(username=PAYROLL_OFFICER.username)
    admin = User.objects.get(username="demo-admin")
    _accounts_give(admin)
    with transaction.atomic():
        run = payroll_compute(month=last_month, actor=officer)
        run = payroll_approve(run=run, actor=admin)
        payment_files_write(run=run, actor=admin)
        run.refresh_from_db()
    paid = PayrollItem.objects.filter(run=run, status="due").select_related("person")
    pensioner = _pensioner(paid)
    deceased = _deceased(paid, exclude={getattr(pensioner, "pk", None)})
    returned = _returns(run, admin, exclude={getattr(p, "pk", None) for p in (pensioner, deceased)})
    if deceased is not None:  # registered today, dated the day before last month began
        deceased.died_on = last_month - datetime.timedelta(days=1)
        deceased.save(update_fields=["died_on", "updated_at"])
    this_month = PayrollRun.objects.filter(month=on.replace(day=1)).first() or payroll_compute(
        month=on.replace(day=1), actor=officer
    )
    return DemoPayments(run, this_month, pensioner, deceased, returned)


def _accounts_give(admin: User) -> None:
    holders = (
        Person.objects.filter(
            died_on__isnull=True,
            pk__in=Award.objects.filter(status__in=HELD_STATUSES).values("person_id"),
        )
        .exclude(pk__in=PaymentAccount.objects.filter(ended_at__isnull=True).values("person_id"))
        .order_by("pk")
    )
    banks = set(Bank.objects.filter(is_active=True).values_list("iban_code", flat=True))
    for number, person in enumerate(holders):
        if number % WITHOUT_ACCOUNT_EVERY == WITHOUT_ACCOUNT_EVERY - 1:
            continue
        code = BANK_CODES[person.pk % len(BANK_CODES)]
        if code not in banks:
            continue
        iban = iban_with_check_digits(code, f"{person.pk:020d}")
        payment_account_set(person=person, iban=iban, actor=admin, reason="Demo: bank details")


def _pensioner(paid: QuerySet[PayrollItem]) -> Person | None:
    """A paid old-age pensioner with a phone, who signs in to see the payment."""
    item = (
        paid.filter(kind="old_age_pension", person__verified_phone__isnull=False)
        .order_by("person_id")
        .first()
    )
    return item.person if item is not None else None


def _deceased(paid: QuerySet[PayrollItem], *, exclude: set[int | None]) -> Person | None:
    """A paid pensioner living with another adult who has a phone: the estate's contact."""
    households = HouseholdMembership.objects.filter(
        left_on__isnull=True, person__verified_phone__isnull=False, person__died_on__isnull=True
    ).values("household_id")
    in_family = set(
        HouseholdMembership.objects.filter(
            household_id__in=households, left_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    for item in paid.filter(kind__endswith="pension").order_by("person_id"):
        person: Person = item.person
        if person.pk in exclude or person.pk not in in_family:
            continue
        others = HouseholdMembership.objects.filter(
            household__memberships__person=person,
            left_on__isnull=True,
            person__verified_phone__isnull=False,
            person__died_on__isnull=True,
        ).exclude(person=person)
        if others.exists():
            return person
    fallback = paid.exclude(person_id__in=exclude).order_by("person_id").first()
    return fallback.person if fallback is not None else None


def _returns(run: PayrollRun, admin: User, *, exclude: set[int | None]) -> tuple[Person, ...]:
    """Kapital Bank's statement: everything credited but two payments, returned."""
    bank = Bank.objects.get(iban_code="AIIB")
    payments = sent_payments(run, bank)
    if not payments:
        return ()
    items = PayrollItem.objects.in_bulk([item for item, _amount in payments])
    chosen = [i for i, _a in payments if items[i].person_id not in exclude][: len(RETURN_REASONS)]
    returned = dict(zip(chosen, RETURN_REASONS, strict=False))
    content = camt054_write(run, bank, returned=returned, payments=payments)
    statement_import(
        run=run, content=content, file_name=f"camt054-{run.month:%Y-%m}-AIIB.xml", actor=admin
    )
    people = Person.objects.in_bulk([items[i].person_id for i in chosen])
    return tuple(people[items[i].person_id] for i in chosen)
