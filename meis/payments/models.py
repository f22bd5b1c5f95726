"""Ödəniş: where an award is paid, the monthly payroll that pays it and the files sent to banks.

Money is integer qəpik. A payroll run is one per month (the database refuses a second), with one
item per award (refused twice too): re-running a month never pays twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Bank(models.Model):
    """Bank: a paying bank of the directory; `iban_code` is the 4 letters after AZkk in an IBAN."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    bic = models.CharField(_("SWIFT/BIC"), max_length=11)
    iban_code = models.CharField(_("bank code in the IBAN"), max_length=4, unique=True)
    # True when the code was checked against a public directory of SWIFT codes when seeded.
    is_code_verified = models.BooleanField(_("code verified"), default=False)
    is_active = models.BooleanField(_("pays awards"), default=True)
    # Issues a card (and its account) to a new recipient who has none (`services/cards.py`).
    issues_cards = models.BooleanField(_("issues cards to new recipients"), default=False)

    class Meta:
        verbose_name = _("bank")
        verbose_name_plural = _("banks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Branch(models.Model):
    """Filial: a branch of a paying bank, where a recipient collects a card or cash."""

    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="branches")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    region = models.CharField(_("region"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["bank", "name"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="payments_branch_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.bank.name}, {self.name}"


class AccountKind(models.TextChoices):
    ACCOUNT = "account", _("Bank account")
    CARD = "card", _("Card issued by the paying bank")


class PaymentAccount(models.Model):
    """Ödəniş hesabı: a person's account for awards, from `valid_from` until `ended_at`."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="payment_accounts"
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="accounts")
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="accounts", null=True, blank=True
    )
    valid_from = models.DateTimeField(_("valid from"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=8,
        choices=AccountKind.choices,
        default=AccountKind.ACCOUNT,
        db_default=AccountKind.ACCOUNT,
    )
    # Set when the bank returned a payment sent to this account (closed, holder deceased...):
    # later payrolls hold the awards until a new account is recorded (`payments.services.returns`).
    returned_at = models.DateTimeField(_("a payment was returned"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment accounts")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True),
                name="payments_account_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.iban} ({self.person_id})"


class RunState(models.TextChoices):
    COMPUTED = "computed", _("Computed, awaiting approval")
    APPROVED = "approved", _("Approved")
    RELEASED = "released", _("Files released to the banks")


class PayrollRun(models.Model):
    """Ödəniş cədvəli: what every award pays for one month (`month` is its 1st day)."""

    month = models.DateField(_("month"), unique=True)
    state = models.CharField(_("state"), max_length=10, choices=RunState.choices)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    items_due = models.PositiveIntegerField(_("items to pay"), default=0)
    items_held = models.PositiveIntegerField(_("items held"), default=0)
    total_qepik = models.BigIntegerField(_("total to pay (qəpik)"), default=0)
    arrears_qepik = models.BigIntegerField(_("of which arrears (qəpik)"), default=0)
    held_qepik = models.BigIntegerField(_("held (qəpik)"), default=0)
    recovered_qepik = models.BigIntegerField(
        _("withheld for overpayments (qəpik)"), default=0, db_default=0
    )

    class Meta:
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("computed_by")),
                name="payments_run_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} ({self.state})"


class ItemStatus(models.TextChoices):
    """An item stays `due` once its run is released: the run's state says it was sent (marking
    millions of rows `sent` would only rewrite them)."""

    DUE = "due", _("To be paid")
    HELD = "held", _("Held: the award is suspended")
    NO_ACCOUNT = "no_account", _("Held: no payment account")
    RETURNED = "returned", _("Held: the bank returned a payment to this account")
    CARD_PENDING = "card_pending", _("Held: the paying bank is issuing a card")


class PayrollItem(models.Model):
    """One award's payment in a run: the month's (prorated) amount and any arrears."""

    # Indexed by a BRIN index (migration 0004), not a B-tree: items are appended run by run.
    # The run, the award, the person and the account are all written by the INSERT … SELECT
    # that reads them (`services/payroll.py`): no database constraint, whose per-row checks at
    # commit cost more than the insert itself (two of them were 45 % of computing a month at
    # 10 M people, bench/payroll.py); none of these rows is ever deleted (PROTECT).
    run = models.ForeignKey(
        PayrollRun,
        on_delete=models.PROTECT,
        related_name="items",
        db_index=False,
        db_constraint=False,
    )
    award = models.ForeignKey(
        "awards.Award",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    account = models.ForeignKey(
        PaymentAccount,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(_("kind"), max_length=32)
    amount_qepik = models.BigIntegerField(_("amount (qəpik)"))
    arrears_qepik = models.BigIntegerField(_("arrears (qəpik)"), default=0, db_default=0)
    # Withheld from this payment to recover an earlier overpayment (`services/overpayments.py`):
    # the bank is sent amount + arrears - recovered.
    recovered_qepik = models.BigIntegerField(
        _("withheld for an overpayment (qəpik)"), default=0, db_default=0
    )
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices)

    class Meta:
        verbose_name = _("payroll item")
        verbose_name_plural = _("payroll items")
        # Written in award order by `payroll_compute`, so the unique (award, run) index grows
        # in its own order; it also finds a person's items through their awards. A run's items
        # are found by a BRIN index on `run` (migration 0004: items are appended run by run).
        constraints = [
            models.UniqueConstraint(fields=["award", "run"], name="payments_item_once_per_award"),
        ]
        # The held items of every run (a few per cent), read each month to pay the months
        # whose hold has ended (`services/payroll.py`, `held_arrears_add`).
        indexes = [
            models.Index(fields=["award"], condition=~Q(status="due"), name="payments_item_held")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.award_id}: {self.amount_qepik}"


class PaymentFile(models.Model):
    """A `pain.001.001.03` credit-transfer file of one run for one bank, with its control totals."""

    run = models.ForeignKey(PayrollRun, on_delete=models.PROTECT, related_name="files")
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    control_sum_qepik = models.BigIntegerField(_("control sum (qəpik)"))
    item_count = models.PositiveIntegerField(_("transactions"))
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")
        constraints = [
            models.UniqueConstraint(fields=["run", "bank"], name="payments_file_once_per_bank")
        ]

    def __str__(self) -> str:
        return self.file_name


class StatementFormat(models.TextChoices):
    CAMT054 = "camt054", _("ISO 20022 camt.054 XML")
    CSV = "csv", _("CSV")


class Statement(models.Model):
    """Bankın çıxarışı: a bank's statement of what it credited and returned of a released run.

    One row per imported file: its digest and the bank's message id are each refused a second
    time, so a statement is never counted twice.
    """

    run = models.ForeignKey(PayrollRun, on_delete=models.PROTECT, related_name="statements")
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="+")
    format = models.CharField(_("format"), max_length=8, choices=StatementFormat.choices)
    message_id = models.CharField(_("bank's message id"), max_length=35)
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    credited_count = models.PositiveIntegerField(_("credited"), default=0)
    credited_qepik = models.BigIntegerField(_("credited (qəpik)"), default=0)
    returned_count = models.PositiveIntegerField(_("returned"), default=0)
    returned_qepik = models.BigIntegerField(_("returned (qəpik)"), default=0)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "message_id"], name="payments_statement_message_once"
            )
        ]

    def __str__(self) -> str:
        return self.file_name


class OutcomeStatus(models.TextChoices):
    CREDITED = "credited", _("Credited to the account")
    RETURNED = "returned", _("Returned by the bank")


class PaymentOutcome(models.Model):
    """What the bank did with one sent payment: credited, or returned with the ISO reason."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="outcomes")
    # One outcome per item (the unique index): a payment is never reconciled twice.
    item = models.OneToOneField(
        PayrollItem, on_delete=models.PROTECT, related_name="outcome", db_constraint=False
    )
    status = models.CharField(_("status"), max_length=8, choices=OutcomeStatus.choices)
    amount_qepik = models.BigIntegerField(_("amount (qəpik)"))
    # ISO 20022 ExternalReturnReason1Code: AC04 closed account, MD07 holder deceased, …
    reason_code = models.CharField(_("return reason"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("payment outcome")
        verbose_name_plural = _("payment outcomes")
        indexes = [
            # The few returned payments, which later payrolls pay again (`held_arrears_add`);
            # the credited ones, nearly all, stay out.
            models.Index(
                fields=["item"],
                name="payments_outcome_returned",
                condition=Q(status="returned"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.status}"


class TaskKind(models.TextChoices):
    RETURNED_PAYMENT = "returned_payment", _("A payment was returned: record a new account")
    OVERPAYMENT_CLAIM = "overpayment_claim", _("Overpayment to claim from the estate")


class PaymentTask(models.Model):
    """Tapşırıq: something payments staff must do for one person; open until resolved.

    A returned payment's task is resolved by itself when a new account is recorded.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        PayrollItem, on_delete=models.PROTECT, related_name="+", null=True, db_constraint=False
    )
    # The ISO reason of a returned payment; the amount returned or to claim.
    reason_code = models.CharField(_("return reason"), max_length=4, blank=True)
    amount_qepik = models.BigIntegerField(_("amount (qəpik)"), default=0)
    details = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("payment task")
        verbose_name_plural = _("payment tasks")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(resolved_at__isnull=True),
                name="payments_task_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.person_id}"


class OverpaymentReason(models.TextChoices):
    DEATH = "death", _("Paid after the recipient's death")
    END = "end", _("Paid after the award ended")


class OverpaymentState(models.TextChoices):
    RECOVERING = "recovering", _("Being withheld from later payments")
    CLAIMED = "claimed", _("Claimed back from the estate")
    RECOVERED = "recovered", _("Recovered")


class Overpayment(models.Model):
    """Artıq ödəniş: a released payment for a month the award no longer covered.

    Found set-based when a later payroll is computed (or by `overpayments_find`); one per paid
    item (the unique index), so a payment is never claimed twice.
    """

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    award = models.ForeignKey("awards.Award", on_delete=models.PROTECT, related_name="+")
    item = models.OneToOneField(
        PayrollItem, on_delete=models.PROTECT, related_name="overpayment", db_constraint=False
    )
    month = models.DateField(_("month paid"))
    reason = models.CharField(_("reason"), max_length=8, choices=OverpaymentReason.choices)
    overpaid_qepik = models.BigIntegerField(_("overpaid (qəpik)"))
    recovered_qepik = models.BigIntegerField(_("recovered (qəpik)"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=OverpaymentState.choices)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    found_in_run = models.ForeignKey(
        PayrollRun, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("overpayment")
        verbose_name_plural = _("overpayments")
        ordering = ["person_id", "month", "id"]
        indexes = [
            models.Index(
                fields=["person"],
                condition=Q(state="recovering"),
                name="payments_overpayment_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m}: {self.overpaid_qepik}"

    @property
    def balance_qepik(self) -> int:
        return self.overpaid_qepik - self.recovered_qepik


class Recovery(models.Model):
    """What one later payment withheld towards one overpayment."""

    overpayment = models.ForeignKey(
        Overpayment, on_delete=models.PROTECT, related_name="recoveries"
    )
    item = models.ForeignKey(
        PayrollItem, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    amount_qepik = models.BigIntegerField(_("withheld (qəpik)"))

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        constraints = [
            models.UniqueConstraint(
                fields=["overpayment", "item"], name="payments_recovery_once_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.overpayment_id}/{self.item_id}: {self.amount_qepik}"


class AccountChange(models.Model):
    """Hesab dəyişikliyi: a citizen's new account, recorded only once the one-time code sent to
    their verified contact is confirmed (the sign-in challenge, `accounts.OneTimeCode`)."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    iban = models.CharField(_("IBAN"), max_length=34)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+", null=True)
    challenge = models.OneToOneField(
        "accounts.OneTimeCode", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=8)
    requested_at = models.DateTimeField(_("requested at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    account = models.ForeignKey(
        PaymentAccount, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.iban}"


class CardState(models.TextChoices):
    ORDERED = "ordered", _("Ordered from the bank")
    ISSUED = "issued", _("Issued: the card's account pays the awards")
    CANCELLED = "cancelled", _("Cancelled")


class CardOrder(models.Model):
    """Kart sifarişi: a card ordered at a paying bank for a recipient with no account; the
    bank's confirmation (its IBAN) makes it the person's payment account (`services/cards.py`)."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="card_orders")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="card_orders")
    state = models.CharField(_("state"), max_length=10, choices=CardState.choices)
    ordered_at = models.DateTimeField(_("ordered at"))
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    account = models.OneToOneField(
        PaymentAccount, on_delete=models.PROTECT, related_name="card_order", null=True, blank=True
    )

    class Meta:
        verbose_name = _("card order")
        verbose_name_plural = _("card orders")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state="ordered"),
                name="payments_card_one_open_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.branch_id} ({self.state})"
