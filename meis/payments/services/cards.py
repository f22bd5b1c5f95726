"""Cards for new recipients: a recipient with an active award and no payment account gets a card
ordered at the card-issuing bank (`Bank.issues_cards`), at its branch in the person's economic
region (the bank's head office when it has none there).

1. `card_orders_place` orders cards set-based: one INSERT … SELECT of every such recipient
   without an open order (staff press "Order cards" on the payroll page; safe to run twice).
   The scheduled job (`payments.tasks.cards_daily`) does the same for awards granted at least
   `CARD_GRACE_DAYS` ago: the recipient has that long to give an account of their own first.
2. Until the bank confirms, the payroll holds their awards as `card_pending` (the compute's
   INSERT gives that status to an award without an account whose person has an open order).
3. The bank confirms a card with the IBAN of its account: one by one on the cards page
   (`card_order_confirm`) or as the CSV it returns (`card_confirmations_import`, format below).
   The IBAN becomes the person's payment account (kind "card"); the next payroll pays it.

The confirmation CSV (UTF-8, comma-separated, a header line, one card per line)::

    order_id,fin,iban
    17,5ABCD12,AZ21AIIB00000000000000000017

`order_id` is the MEİS order number sent to the bank, `fin` the recipient's FİN (checked against
the order), `iban` the card account's IBAN at the ordering bank. A file with any wrong line is
refused whole, its lines' errors listed; nothing is recorded from it.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.audit.services import audit_record
from meis.core.identifiers import InvalidIdentifier, normalize_iban
from meis.payments.models import (
    AccountKind,
    Bank,
    Branch,
    CardOrder,
    CardState,
    PaymentAccount,
)
from meis.payments.services.accounts import Actor, payment_account_set
from meis.payments.services.errors import PaymentError

MAX_CSV_BYTES = 5 * 1024 * 1024
CARD_GRACE_DAYS = 14
MAX_ERRORS_SHOWN = 10

# Recipients of an active award, alive, with no current account and no open card order; the
# branch is the card bank's first branch in their region, else its head office.
_PLACE_SQL = """
INSERT INTO payments_cardorder (person_id, bank_id, branch_id, state, ordered_at, ordered_by_id)
SELECT p.id, %(bank)s,
       COALESCE((SELECT MIN(b.id) FROM payments_branch b
                 WHERE b.bank_id = %(bank)s AND b.region = p.region), %(head)s),
       'ordered', %(now)s, %(actor)s
FROM registry_person p
WHERE p.id IN (SELECT a.person_id FROM awards_award a
               WHERE a.status = 'active' AND a.amount_qepik > 0
                 AND a.created_at <= %(granted_before)s)
  AND p.died_on IS NULL
  AND NOT EXISTS (SELECT 1 FROM payments_paymentaccount acc
                  WHERE acc.person_id = p.id AND acc.ended_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM payments_cardorder o
                  WHERE o.person_id = p.id AND o.state = 'ordered')
ORDER BY p.id
"""


def card_bank() -> Bank:
    bank = Bank.objects.filter(issues_cards=True, is_active=True).order_by("pk").first()
    if bank is None:
        raise PaymentError(
            _(
                "No bank of the directory is marked as issuing cards to new recipients. Mark "
                "one in the bank directory first."
            ),
            code="no_card_bank",
        )
    return bank


def _head_office(bank: Bank) -> Branch:
    head = bank.branches.filter(code="head").first() or bank.branches.order_by("pk").first()
    if head is None:
        raise PaymentError(
            _("%(bank)s has no branch in the directory. Add its head office first.")
            % {"bank": bank.name},
            code="card_bank_without_branch",
        )
    return head


def card_orders_place(*, actor: Actor, granted_before: datetime.datetime | None = None) -> int:
    """Order a card for every recipient who needs one (of awards granted before
    `granted_before`, if given); the number ordered (0 the second time)."""
    bank = card_bank()
    head = _head_office(bank)
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                _PLACE_SQL,
                {
                    "bank": bank.pk,
                    "head": head.pk,
                    "now": timezone.now(),
                    "actor": getattr(user, "pk", None),
                    "granted_before": granted_before or timezone.now(),
                },
            )
            ordered = max(int(cursor.rowcount), 0)
        audit_record(
            action="payments.cards_ordered",
            actor=user,
            obj=bank,
            purpose="Cards ordered for recipients without a payment account",
            details={"bank": bank.code, "ordered": ordered},
        )
    return ordered


def card_order_confirm(*, order: CardOrder, iban: str, actor: Actor) -> PaymentAccount:
    """The bank issued the card of `order`: its account `iban` pays the person from now on."""
    with transaction.atomic():
        order = (
            CardOrder.objects.select_for_update().select_related("bank", "branch").get(pk=order.pk)
        )
        if order.state != CardState.ORDERED:
            raise PaymentError(
                _("Card order %(number)s is no longer open (%(state)s): nothing to confirm.")
                % {"number": order.pk, "state": order.get_state_display()},
                code="card_order_closed",
            )
        try:
            normalized = normalize_iban(iban)
        except InvalidIdentifier as error:
            raise PaymentError(" ".join(error.messages), code=str(error.code)) from None
        if normalized[4:8] != order.bank.iban_code:
            raise PaymentError(
                _(
                    "The IBAN %(iban)s is not an account at %(bank)s, the bank the card was "
                    "ordered from. Check the IBAN the bank sent."
                )
                % {"iban": normalized, "bank": order.bank.name},
                code="card_iban_other_bank",
            )
        account = payment_account_set(
            person=order.person,
            iban=normalized,
            branch=order.branch,
            actor=actor,
            reason=f"Card issued by the paying bank (card order {order.pk})",
            kind=AccountKind.CARD,
        )
        order.state = CardState.ISSUED
        order.issued_at = timezone.now()
        order.account = account
        order.save(update_fields=["state", "issued_at", "account"])
    return account


def card_confirmations_import(*, content: bytes, actor: Actor) -> int:
    """Confirm the cards of the bank's CSV (module docstring): all lines, or none."""
    rows = _csv_rows(content)
    orders = CardOrder.objects.select_related("person", "bank").in_bulk(
        [order_id for _line, order_id, _fin, _iban in rows if order_id is not None]
    )
    errors = []
    for line, order_id, fin, _iban in rows:
        order = orders.get(order_id) if order_id is not None else None
        if order is None:
            errors.append(
                _("Line %(line)s: there is no card order %(number)s.")
                % {"line": line, "number": order_id if order_id is not None else "?"}
            )
        elif order.person.fin != fin.upper():
            errors.append(
                _("Line %(line)s: the FİN %(fin)s is not the FİN of card order %(number)s.")
                % {"line": line, "fin": fin, "number": order_id}
            )
    if errors:
        _refuse(errors)
    confirmed = 0
    with transaction.atomic():
        for line, order_id, _fin, iban in rows:
            try:
                card_order_confirm(order=orders[order_id or 0], iban=iban, actor=actor)
            except PaymentError as refused:
                errors.append(
                    _("Line %(line)s: %(error)s") % {"line": line, "error": refused.message}
                )
            else:
                confirmed += 1
        if errors:
            transaction.set_rollback(True)
    if errors:
        _refuse(errors)
    return confirmed


def _refuse(errors: list[str]) -> None:
    shown = errors[:MAX_ERRORS_SHOWN]
    more = len(errors) - len(shown)
    text = " ".join(shown)
    if more:
        text += " " + _("And %(count)s more.") % {"count": more}
    raise PaymentError(
        _("Nothing was recorded from this file. Correct it and import it again. %(errors)s")
        % {"errors": text},
        code="card_csv_invalid",
    )


def _csv_rows(content: bytes) -> list[tuple[int, int | None, str, str]]:
    """(line number, order id, FİN, IBAN) of each line; the header checked."""
    if len(content) > MAX_CSV_BYTES:
        raise PaymentError(
            _("The file is larger than 5 MB. Split it into smaller files."), code="card_csv_size"
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PaymentError(
            _("The file is not UTF-8 text. Save the CSV as UTF-8 and import it again."),
            code="card_csv_encoding",
        ) from None
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header != ["order_id", "fin", "iban"]:
        raise PaymentError(
            _("The first line of the file must be the header: order_id,fin,iban."),
            code="card_csv_header",
        )
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        line = reader.line_num
        if len(cells) != 3:
            raise PaymentError(
                _("Line %(line)s: expected 3 values (order_id,fin,iban), found %(count)s.")
                % {"line": line, "count": len(cells)},
                code="card_csv_line",
            )
        order_id, fin, iban = (cell.strip() for cell in cells)
        rows.append((line, int(order_id) if order_id.isdigit() else None, fin, iban))
    if not rows:
        raise PaymentError(_("The file has no card lines."), code="card_csv_empty")
    return rows
