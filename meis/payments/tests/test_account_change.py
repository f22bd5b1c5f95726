# mypy: disable-error-code="no-untyped-def"
"""A citizen changes where their awards are paid: a code goes to their verified contact (the
sign-in challenge and its limits), and only the confirmed code records the new account."""

from __future__ import annotations

import datetime
import importlib
import re

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from meis.accounts.models import OneTimeCode
from meis.audit.models import AuditEvent
from meis.notifications.models import Message
from meis.payments.models import AccountChange, Branch, PaymentAccount
from meis.payments.services import PaymentError, payment_account_set
from meis.payments.services.accounts import account_change_confirm, account_change_request
from meis.payments.tests.conftest import iban, person_make


@pytest.fixture(autouse=True)
def branches(db: None) -> None:
    importlib.import_module("meis.payments.migrations.0008_seed_branches_and_card_bank").seed(
        apps, None
    )


@pytest.fixture(autouse=True)
def _fresh_limits():
    from django.core.cache import cache

    cache.clear()


def sent_code(person) -> str:
    body = Message.objects.filter(person=person, event="one_time_code").latest("id").body_text
    found = re.search(r"\b(\d{6})\b", body)
    assert found is not None
    return found.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_new_account_is_recorded_only_once_the_code_is_confirmed(citizen):
    ganja = Branch.objects.get(bank__iban_code="AIIB", code="ganja")

    change = account_change_request(person=citizen, iban=iban("AIIB", 3), branch=ganja, actor=None)

    assert not PaymentAccount.objects.filter(person=citizen).exists()
    message = Message.objects.filter(person=citizen, event="one_time_code").latest("id")
    assert message.channel == "sms"
    assert message.recipient == citizen.verified_phone
    confirmed = account_change_confirm(change=change, code=sent_code(citizen), actor=None)
    assert confirmed.already is False
    account = PaymentAccount.objects.get(person=citizen)
    assert (account.iban, account.branch, account.bank.name) == (
        iban("AIIB", 3),
        ganja,
        "Kapital Bank",
    )
    assert "one-time code" in account.reason
    assert AuditEvent.objects.filter(
        action="payments.account_change_requested", person=citizen
    ).exists()
    assert AuditEvent.objects.filter(action="payments.account_set", person=citizen).exists()


def test_a_person_with_only_an_e_mail_gets_the_code_by_e_mail():
    person = person_make(verified_phone=None, verified_email="leyla@example.az")

    account_change_request(person=person, iban=iban("IBAZ", 1), actor=None)

    message = Message.objects.filter(person=person, event="one_time_code").latest("id")
    assert (message.channel, message.recipient) == ("email", "leyla@example.az")


def test_a_person_without_a_verified_contact_is_sent_to_a_centre():
    person = person_make(verified_phone=None, verified_email=None)

    with pytest.raises(PaymentError) as refused:
        account_change_request(person=person, iban=iban("IBAZ", 1), actor=None)

    assert refused.value.code == "no_verified_contact"
    assert "xidmət mərkəzinə" in refused.value.message
    assert not AccountChange.objects.exists()


def test_a_wrong_code_records_nothing_and_three_void_the_code(citizen):
    change = account_change_request(person=citizen, iban=iban("AIIB", 3), actor=None)
    right = sent_code(citizen)

    for _attempt in range(3):
        with pytest.raises(PaymentError) as refused:
            account_change_confirm(change=change, code=wrong(right), actor=None)
        assert refused.value.code == "code_wrong"
    with pytest.raises(PaymentError) as refused:
        account_change_confirm(change=change, code=right, actor=None)

    assert refused.value.code == "code_unusable"
    assert "3 dəfə səhv" in refused.value.message
    assert not PaymentAccount.objects.filter(person=citizen).exists()


def test_an_expired_code_records_nothing(citizen):
    change = account_change_request(person=citizen, iban=iban("AIIB", 3), actor=None)
    code = sent_code(citizen)

    later = timezone.now() + datetime.timedelta(minutes=6)
    with time_machine.travel(later), pytest.raises(PaymentError) as refused:
        account_change_confirm(change=change, code=code, actor=None)

    assert refused.value.code == "code_unusable"
    assert "müddəti bitib" in refused.value.message
    assert not PaymentAccount.objects.filter(person=citizen).exists()


def test_sending_the_code_twice_records_the_account_once(citizen):
    change = account_change_request(person=citizen, iban=iban("AIIB", 3), actor=None)
    code = sent_code(citizen)

    first = account_change_confirm(change=change, code=code, actor=None)
    again = account_change_confirm(change=change, code=code, actor=None)

    assert (first.already, again.already) == (False, True)
    assert again.account == first.account
    assert PaymentAccount.objects.filter(person=citizen).count() == 1


def test_a_new_request_voids_the_code_of_the_earlier_one(citizen):
    first = account_change_request(person=citizen, iban=iban("AIIB", 3), actor=None)
    first_code = sent_code(citizen)
    account_change_request(person=citizen, iban=iban("IBAZ", 4), actor=None)

    with pytest.raises(PaymentError) as refused:
        account_change_confirm(change=first, code=first_code, actor=None)

    assert refused.value.code == "code_unusable"
    assert OneTimeCode.objects.filter(pk=first.challenge_id or 0, voided_at__isnull=False).exists()


def test_codes_are_limited_like_contact_codes(citizen, settings):
    settings.MEIS_CONTACT_CODE_LIMIT = 2
    for account in (1, 2):
        account_change_request(person=citizen, iban=iban("AIIB", account), actor=None)

    with pytest.raises(PaymentError) as refused:
        account_change_request(person=citizen, iban=iban("AIIB", 3), actor=None)

    assert refused.value.code == "too_many_codes"
    assert AccountChange.objects.filter(person=citizen).count() == 2


def test_the_code_of_someone_else_does_not_confirm_my_change(citizen, other_citizen):
    mine = account_change_request(person=citizen, iban=iban("AIIB", 3), actor=None)
    account_change_request(person=other_citizen, iban=iban("AIIB", 4), actor=None)

    with pytest.raises(PaymentError):
        account_change_confirm(change=mine, code=sent_code(other_citizen), actor=None)

    assert not PaymentAccount.objects.exists()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("AZ12AIIB123", "iban_format"),
        (iban("ZZZZ", 1), "iban_unknown_bank"),
    ],
    ids=["malformed", "bank not in the directory"],
)
def test_a_bad_iban_is_refused_before_any_code_is_sent(citizen, typed, code):
    with pytest.raises(PaymentError) as refused:
        account_change_request(person=citizen, iban=typed, actor=None)

    assert refused.value.code == code
    assert not Message.objects.filter(person=citizen, event="one_time_code").exists()


def test_a_branch_of_another_bank_is_refused_naming_both(citizen):
    abb_ganja = Branch.objects.get(bank__iban_code="IBAZ", code="ganja")

    with pytest.raises(PaymentError) as refused:
        account_change_request(person=citizen, iban=iban("AIIB", 1), branch=abb_ganja, actor=None)

    assert refused.value.code == "branch_of_another_bank"
    assert "Kapital Bank" in refused.value.message
    assert "ABB" in refused.value.message


def test_the_same_account_again_is_nothing_to_change(citizen, administrator):
    payment_account_set(person=citizen, iban=iban("AIIB", 1), actor=administrator, reason="file")

    with pytest.raises(PaymentError) as refused:
        account_change_request(person=citizen, iban=iban("AIIB", 1), actor=None)

    assert refused.value.code == "unchanged"


def test_the_directory_has_a_branch_of_the_card_bank_in_every_region():
    from meis.registry.models import Region

    regions = set(Branch.objects.filter(bank__issues_cards=True).values_list("region", flat=True))
    assert regions == set(Region.values)
