# mypy: disable-error-code="no-untyped-def"
"""The account pages: a citizen changes their account with a code (in Azerbaijani and English);
a payroll administrator changes a recipient's account with a reason, every look audited;
cards for new recipients are ordered and confirmed on their page; others are refused."""

from __future__ import annotations

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.testing import otp_verified
from meis.audit.models import AuditEvent
from meis.awards.models import AwardKind
from meis.awards.tests.factories import granted
from meis.notifications.models import Message
from meis.payments.models import Branch, CardOrder, CardState, PaymentAccount
from meis.payments.services import payment_account_set
from meis.payments.tests.conftest import iban, person_make


@pytest.fixture(autouse=True)
def branches(db: None) -> None:
    importlib.import_module("meis.payments.migrations.0008_seed_branches_and_card_bank").seed(
        apps, None
    )
    cache.clear()  # the code limits start afresh


def signed_in(person) -> Client:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    return client


def url(name: str, lang: str, *args: object) -> str:
    with translation.override(lang):
        return reverse(name, args=args)


def sent_code(person) -> str:
    body = Message.objects.filter(person=person, event="one_time_code").latest("id").body_text
    found = re.search(r"\b(\d{6})\b", body)
    assert found is not None
    return found.group(1)


ENGLISH_ON_AZ = ("Confirm your new account", "History of my accounts", "Recorded by")


def assert_no_english(page: str, msgids: tuple[str, ...] = ENGLISH_ON_AZ) -> None:
    """No English of these pages on an Azerbaijani page; until the lead merges this work's
    translations (drafts/tr_acct.py) the check cannot pass, and says so (xfail)."""
    with translation.override("az"):
        untranslated = [m for m in msgids if translation.gettext(m) == m]
    if untranslated:
        pytest.xfail(f"Azerbaijani translations not merged yet: {untranslated}")
    assert not [english for english in msgids if english in page]


@pytest.mark.parametrize("lang", ["az", "en"])
def test_a_citizen_changes_the_account_with_the_code_and_sees_the_history(citizen, lang):
    client = signed_in(citizen)
    payment_account_set(person=citizen, iban=iban("IBAZ", 1), actor=None, reason="")
    ganja = Branch.objects.get(bank__code="kapital-bank", code="ganja")

    asked = client.post(url("payments:mine", lang), {"iban": iban("AIIB", 2), "branch": ganja.pk})
    assert asked.status_code == 302
    assert asked["Location"] == url("payments:confirm", lang)
    confirm = client.get(asked["Location"]).content.decode()
    assert citizen.verified_phone[-4:] in confirm
    assert citizen.verified_phone not in confirm  # masked
    assert PaymentAccount.objects.get(person=citizen, ended_at__isnull=True).bank.code == "abb"

    done = client.post(url("payments:confirm", lang), {"code": sent_code(citizen)})

    assert done.status_code == 302
    page = client.get(url("payments:mine", lang)).content.decode()
    assert "Gəncə filialı" in page
    assert 'data-testid="account-history"' in page
    assert iban("IBAZ", 1) in page  # the old account, in the history
    current = PaymentAccount.objects.get(person=citizen, ended_at__isnull=True)
    assert current.iban == iban("AIIB", 2)
    if lang == "az":
        assert_no_english(page)


@pytest.mark.parametrize("lang", ["az", "en"])
def test_a_wrong_code_is_told_on_the_page_and_nothing_changes(citizen, lang):
    client = signed_in(citizen)
    client.post(url("payments:mine", lang), {"iban": iban("AIIB", 2)})
    right = sent_code(citizen)

    wrong = client.post(url("payments:confirm", lang), {"code": f"{(int(right) + 1) % 10**6:06d}"})

    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert "govuk-error-summary" in text
    assert "code_wrong" not in text
    assert not PaymentAccount.objects.filter(person=citizen).exists()
    if lang == "en":
        assert "This code is not right" in text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("AZ12AIIB123", "28"), (iban("ZZZZ", 5), "ZZZZ")],
    ids=["malformed", "unknown bank"],
)
def test_a_bad_iban_is_told_beside_the_field(citizen, typed, expected):
    response = signed_in(citizen).post(url("payments:mine", "en"), {"iban": typed})

    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Message.objects.filter(person=citizen, event="one_time_code").exists()


def test_a_branch_of_another_bank_is_refused_on_the_page(citizen):
    abb = Branch.objects.get(bank__code="abb", code="ganja")

    response = signed_in(citizen).post(
        url("payments:mine", "en"), {"iban": iban("AIIB", 2), "branch": abb.pk}
    )

    assert response.status_code == 400
    assert "is not a branch of Kapital Bank" in response.content.decode()


def test_a_citizen_cannot_confirm_someone_elses_change(citizen, other_citizen):
    signed_in(other_citizen).post(url("payments:mine", "en"), {"iban": iban("AIIB", 2)})
    thief = signed_in(citizen)
    session = thief.session
    from meis.payments.models import AccountChange

    session["meis_payment_account_change"] = AccountChange.objects.get(person=other_citizen).pk
    session.save()

    response = thief.post(url("payments:confirm", "en"), {"code": sent_code(other_citizen)})

    assert response.status_code == 302  # back to their own page: the change is not theirs
    assert not PaymentAccount.objects.exists()


def test_staff_may_not_open_the_citizens_confirmation_nor_citizens_the_staff_pages(
    citizen, case_worker
):
    staff = otp_verified(Client(), case_worker)
    assert staff.get(url("payroll:accounts", "en")).status_code == 403
    assert staff.get(url("payroll:account", "en", citizen.pk)).status_code == 403
    assert staff.get(url("payroll:cards", "en")).status_code == 403
    response = signed_in(citizen).get(url("payroll:account", "en", citizen.pk))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("lang", ["az", "en"])
def test_an_administrator_changes_an_account_with_a_reason_each_look_audited(
    citizen, administrator, lang
):
    client = otp_verified(Client(), administrator)
    assert url("payroll:accounts", lang) in client.get(url("payroll:runs", lang)).content.decode()

    found = client.get(url("payroll:accounts", lang), {"fin": citizen.fin})
    assert found["Location"] == url("payroll:account", lang, citizen.pk)
    page = client.get(found["Location"])
    assert page.status_code == 200
    looks = AuditEvent.objects.filter(action="person.read", person=citizen)
    assert list(looks.values_list("purpose", flat=True)) == ["payment account"]

    no_reason = client.post(found["Location"], {"iban": iban("AIIB", 3), "reason": ""})
    assert no_reason.status_code == 400
    assert not PaymentAccount.objects.filter(person=citizen).exists()

    changed = client.post(
        found["Location"], {"iban": iban("AIIB", 3), "reason": "Signed request of 3 March"}
    )
    assert changed.status_code == 302
    account = PaymentAccount.objects.get(person=citizen)
    assert (account.reason, account.changed_by) == ("Signed request of 3 March", administrator)
    event = AuditEvent.objects.get(action="payments.account_set", person=citizen)
    assert event.purpose == "Signed request of 3 March"
    history = client.get(found["Location"]).content.decode()
    assert "Signed request of 3 March" in history
    if lang == "az":
        assert_no_english(history, ("Change the account", "Reason for the change"))


def test_an_unknown_or_malformed_fin_is_told(administrator):
    client = otp_verified(Client(), administrator)
    assert client.get(url("payroll:accounts", "en"), {"fin": "ZZZZZZZ"}).status_code == 404
    assert client.get(url("payroll:accounts", "en"), {"fin": "12"}).status_code == 404


def test_an_administrator_orders_cards_and_records_the_banks_confirmation(administrator):
    person = person_make()
    granted(person, AwardKind.OLD_AGE_PENSION, datetime.date(2025, 1, 1))
    client = otp_verified(Client(), administrator)

    assert client.post(url("payroll:cards", "en"), {"action": "place"}).status_code == 302
    order = CardOrder.objects.get(person=person)
    listed = client.get(url("payroll:cards", "en")).content.decode()
    assert person.fin in listed
    assert AuditEvent.objects.filter(action="payments.card_orders_view").exists()

    wrong = client.post(
        url("payroll:card_confirm", "en", order.pk), {f"order{order.pk}-iban": iban("IBAZ", 1)}
    )
    assert wrong.status_code == 400
    assert "is not an account at Kapital Bank" in wrong.content.decode()

    csv = f"order_id,fin,iban\n{order.pk},{person.fin},{iban('AIIB', 9)}\n".encode()
    imported = client.post(
        url("payroll:cards", "en"),
        {"action": "import", "confirmations": SimpleUploadedFile("cards.csv", csv)},
    )
    assert imported.status_code == 302
    order.refresh_from_db()
    assert order.state == CardState.ISSUED


def test_a_citizen_whose_card_is_being_issued_is_told_where(citizen, administrator):
    granted(citizen, AwardKind.OLD_AGE_PENSION, datetime.date(2025, 1, 1))
    otp_verified(Client(), administrator).post(url("payroll:cards", "en"), {"action": "place"})

    page = signed_in(citizen).get(url("payments:mine", "en")).content.decode()

    assert 'data-testid="card-order"' in page
    assert "Kapital Bank" in page


def test_the_citizen_sees_that_the_payroll_staff_looked_at_their_account(citizen, administrator):
    otp_verified(Client(), administrator).get(url("payroll:account", "en", citizen.pk))

    page = signed_in(citizen).get(url("accounts:who_looked", "en")).content.decode()

    assert "Your payment account and its history, by the payroll staff" in page


def test_the_staff_history_says_who_recorded_each_account_without_user_names(
    citizen, administrator
):
    client = signed_in(citizen)
    client.post(url("payments:mine", "en"), {"iban": iban("AIIB", 2)})
    client.post(url("payments:confirm", "en"), {"code": sent_code(citizen)})

    page = otp_verified(Client(), administrator).get(url("payroll:account", "en", citizen.pk))

    text = page.content.decode()
    assert "The recipient, confirmed by a code" in text
    assert "citizen-" not in text
    mine = client.get(url("payments:mine", "en")).content.decode()
    assert "You, confirmed by a code" in mine


def test_a_returned_payments_task_leads_to_the_account_and_a_new_one_closes_it(
    citizen, administrator
):
    from meis.payments.models import PaymentTask, TaskKind

    payment_account_set(person=citizen, iban=iban("AIIB", 1), actor=None, reason="")
    task = PaymentTask.objects.create(
        kind=TaskKind.RETURNED_PAYMENT, person=citizen, reason_code="AC04", amount_qepik=24_000
    )
    client = otp_verified(Client(), administrator)
    account_page = url("payroll:account", "en", citizen.pk)

    assert account_page in client.get(url("payroll:tasks", "en")).content.decode()
    client.post(
        account_page, {"iban": iban("IBAZ", 7), "reason": "Closed account; new IBAN by phone"}
    )

    task.refresh_from_db()
    assert (task.resolved_at is not None, task.resolved_by) == (True, administrator)
