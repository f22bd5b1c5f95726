# mypy: disable-error-code="no-untyped-def"
"""Where awards are paid: a valid IBAN of a directory bank, its history kept, bad input refused."""

from __future__ import annotations

import pytest

from meis.audit.models import AuditEvent
from meis.payments.models import Branch, PaymentAccount
from meis.payments.services import PaymentError, payment_account_set
from meis.payments.tests.conftest import iban


def test_an_iban_of_a_directory_bank_becomes_the_payment_account(citizen, administrator):
    account = payment_account_set(
        person=citizen, iban=iban("IBAZ"), actor=administrator, reason="pension file"
    )
    assert account.bank.name.startswith("ABB")
    assert account.ended_at is None
    assert AuditEvent.objects.filter(action="payments.account_set", person=citizen).exists()


def test_spaces_and_lower_case_in_the_iban_are_accepted(citizen, administrator):
    typed = " ".join(iban("PAHA")[i : i + 4] for i in range(0, 28, 4)).lower()
    account = payment_account_set(person=citizen, iban=typed, actor=administrator, reason="")
    assert account.iban == iban("PAHA")


def test_a_change_ends_the_old_account_and_keeps_it(citizen, administrator):
    first = payment_account_set(person=citizen, iban=iban(), actor=administrator, reason="a")
    second = payment_account_set(
        person=citizen, iban=iban("HAJC", 7), actor=administrator, reason="moved bank"
    )
    first.refresh_from_db()
    assert first.ended_at is not None
    assert second.reason == "moved bank"
    assert PaymentAccount.objects.filter(person=citizen).count() == 2


def test_a_malformed_iban_is_refused_with_what_an_iban_looks_like(citizen, administrator):
    with pytest.raises(PaymentError) as refused:
        payment_account_set(person=citizen, iban="AZ12AIIB123", actor=administrator, reason="")
    assert refused.value.code == "iban_format"
    assert "28" in refused.value.message  # what an IBAN looks like


def test_a_typing_error_in_the_iban_is_refused_by_its_check_digits(citizen, administrator):
    wrong = iban()[:-1] + ("2" if iban()[-1] != "2" else "3")
    with pytest.raises(PaymentError) as refused:
        payment_account_set(person=citizen, iban=wrong, actor=administrator, reason="")
    assert refused.value.code == "iban_checksum"


def test_an_iban_of_a_bank_not_in_the_directory_is_refused_naming_its_code(citizen, administrator):
    with pytest.raises(PaymentError) as refused:
        payment_account_set(person=citizen, iban=iban("ZZZZ"), actor=administrator, reason="")
    assert refused.value.code == "iban_unknown_bank"
    assert "ZZZZ" in refused.value.message
    assert not PaymentAccount.objects.filter(person=citizen).exists()


def test_a_branch_of_another_bank_is_refused(citizen, administrator):
    branch = Branch.objects.get(bank__code="abb", code="ganja")
    with pytest.raises(PaymentError) as refused:
        payment_account_set(
            person=citizen, iban=iban("AIIB"), actor=administrator, reason="", branch=branch
        )
    assert refused.value.code == "branch_of_another_bank"
