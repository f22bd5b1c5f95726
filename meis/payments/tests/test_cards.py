# mypy: disable-error-code="no-untyped-def"
"""Cards for new recipients: ordered set-based at the card bank's branch of their region, held
by the payroll until the bank confirms the card's IBAN (one by one or by its CSV)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps

from meis.audit.models import AuditEvent
from meis.awards.models import AwardKind
from meis.awards.tests.factories import granted
from meis.payments.models import AccountKind, CardOrder, CardState, ItemStatus, PaymentAccount
from meis.payments.services import PaymentError, payment_account_set, payroll_compute
from meis.payments.services.cards import (
    card_confirmations_import,
    card_order_confirm,
    card_orders_place,
)
from meis.payments.tests.conftest import iban, person_make
from meis.registry.models import Region

START = datetime.date(2025, 1, 1)


@pytest.fixture(autouse=True)
def branches(db: None) -> None:
    importlib.import_module("meis.payments.migrations.0008_seed_branches_and_card_bank").seed(
        apps, None
    )


def pensioner(**fields):
    person = person_make(**fields)
    granted(person, AwardKind.OLD_AGE_PENSION, START)
    return person


def test_recipients_without_an_account_get_a_card_at_the_branch_of_their_region(administrator):
    in_ganja = pensioner(region=Region.GANJA_DASHKASAN)
    in_baku = pensioner(region=Region.BAKU)
    with_account = pensioner(region=Region.GANJA_DASHKASAN)
    payment_account_set(person=with_account, iban=iban("IBAZ", 1), actor=None, reason="")
    person_make(region=Region.GANJA_DASHKASAN)  # no award: no card

    ordered = card_orders_place(actor=administrator)

    assert ordered == 2
    orders = {order.person: order for order in CardOrder.objects.select_related("branch")}
    assert set(orders) == {in_ganja, in_baku}
    assert orders[in_ganja].branch.name == "Gəncə filialı"
    assert orders[in_baku].branch.code == "head"
    assert {order.bank.code for order in orders.values()} == {"kapital-bank"}
    assert AuditEvent.objects.filter(action="payments.cards_ordered").exists()


def test_ordering_again_orders_nothing_twice(administrator):
    pensioner()
    assert card_orders_place(actor=administrator) == 1
    assert card_orders_place(actor=administrator) == 0
    assert CardOrder.objects.count() == 1


def test_the_dead_and_ended_awards_get_no_card(administrator):
    pensioner(died_on=datetime.date(2025, 6, 1))
    assert card_orders_place(actor=administrator) == 0


def test_the_bank_confirms_a_card_and_its_account_pays_from_then_on(administrator):
    person = pensioner(region=Region.SHEKI_ZAGATALA)
    card_orders_place(actor=administrator)
    order = CardOrder.objects.get(person=person)

    account = card_order_confirm(order=order, iban=iban("AIIB", 77), actor=administrator)

    order.refresh_from_db()
    assert order.state == CardState.ISSUED
    assert order.account == account
    assert (account.kind, account.branch, account.bank.code) == (
        AccountKind.CARD,
        order.branch,
        "kapital-bank",
    )


def test_a_card_iban_of_another_bank_is_refused(administrator):
    person = pensioner()
    card_orders_place(actor=administrator)

    with pytest.raises(PaymentError) as refused:
        card_order_confirm(
            order=CardOrder.objects.get(person=person), iban=iban("IBAZ", 5), actor=administrator
        )

    assert refused.value.code == "card_iban_other_bank"
    assert not PaymentAccount.objects.filter(person=person).exists()


def test_an_account_of_the_persons_own_cancels_the_card(administrator):
    person = pensioner()
    card_orders_place(actor=administrator)

    payment_account_set(person=person, iban=iban("IBAZ", 5), actor=None, reason="")

    order = CardOrder.objects.get(person=person)
    assert order.state == CardState.CANCELLED
    with pytest.raises(PaymentError) as refused:
        card_order_confirm(order=order, iban=iban("AIIB", 5), actor=administrator)
    assert refused.value.code == "card_order_closed"


def test_the_payroll_holds_a_card_pending_award_with_its_own_status(
    administrator, second_administrator
):
    waiting = pensioner()
    nothing = pensioner()
    card_orders_place(actor=administrator)
    CardOrder.objects.filter(person=nothing).update(state=CardState.CANCELLED)

    run = payroll_compute(month=datetime.date(2025, 3, 1), actor=administrator)

    statuses = dict(run.items.values_list("person_id", "status"))
    assert statuses[waiting.pk] == ItemStatus.CARD_PENDING
    assert statuses[nothing.pk] == ItemStatus.NO_ACCOUNT


def csv_of(*lines: str) -> bytes:
    return ("order_id,fin,iban\n" + "\n".join(lines) + "\n").encode()


def test_the_banks_csv_confirms_every_card_it_lists(administrator):
    people = [pensioner() for _ in range(2)]
    card_orders_place(actor=administrator)
    orders = [CardOrder.objects.get(person=person) for person in people]
    lines = [f"{o.pk},{o.person.fin},{iban('AIIB', 100 + n)}" for n, o in enumerate(orders)]

    confirmed = card_confirmations_import(content=csv_of(*lines), actor=administrator)

    assert confirmed == 2
    assert set(CardOrder.objects.values_list("state", flat=True)) == {CardState.ISSUED}
    assert PaymentAccount.objects.filter(kind=AccountKind.CARD).count() == 2


def test_a_csv_with_one_wrong_line_records_nothing_and_says_which_line(administrator):
    people = [pensioner() for _ in range(2)]
    card_orders_place(actor=administrator)
    good, bad = (CardOrder.objects.get(person=person) for person in people)

    with pytest.raises(PaymentError) as refused:
        card_confirmations_import(
            content=csv_of(
                f"{good.pk},{good.person.fin},{iban('AIIB', 1)}",
                f"{bad.pk},{bad.person.fin},{iban('IBAZ', 2)}",
            ),
            actor=administrator,
        )

    assert "Sətir 3:" in refused.value.message
    assert not PaymentAccount.objects.exists()
    assert set(CardOrder.objects.values_list("state", flat=True)) == {CardState.ORDERED}


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"order,iban\n1,AZ\n", "card_csv_header"),
        (b"order_id,fin,iban\n", "card_csv_empty"),
        (b"order_id,fin,iban\n1,2\n", "card_csv_line"),
        (b"\xff\xfe", "card_csv_encoding"),
        (b"order_id,fin,iban\n999999,AAAAAAA,AZ00\n", "card_csv_invalid"),
    ],
    ids=["header", "empty", "short line", "not UTF-8", "unknown order"],
)
def test_a_malformed_csv_is_refused_precisely(administrator, content, code):
    with pytest.raises(PaymentError) as refused:
        card_confirmations_import(content=content, actor=administrator)
    assert refused.value.code == code


def test_the_fin_must_be_the_orders(administrator):
    person, other = pensioner(), person_make()
    card_orders_place(actor=administrator)
    order = CardOrder.objects.get(person=person)

    with pytest.raises(PaymentError) as refused:
        card_confirmations_import(
            content=csv_of(f"{order.pk},{other.fin},{iban('AIIB', 1)}"), actor=administrator
        )

    assert other.fin in refused.value.message


def test_the_scheduled_job_leaves_new_recipients_time_to_give_their_own_account():
    import time_machine
    from django.utils import timezone

    from meis.core.scheduler import jobs_registered
    from meis.payments.tasks import cards_daily

    assert "payments.cards_daily" in {job.name for job in jobs_registered()}
    person = pensioner()

    assert cards_daily() == "0"  # granted today: 14 days to give an account first
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        assert cards_daily() == "1"
        assert cards_daily() == "0"

    assert CardOrder.objects.get(person=person).ordered_by is None
