"""A pensioner changes where their pension is paid, in Chromium: from the home page to My payments,
the new IBAN and branch, the code sent to their phone, and the history of their accounts; the
pages pass axe-core (WCAG 2.2 AA) at 1280 px and at 320 px with no sideways scroll."""

from __future__ import annotations

import datetime
import importlib
import re

import pytest
from django.apps import apps

from meis.accounts.tests import factories
from meis.awards.models import AwardKind
from meis.awards.tests.factories import granted
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.payments.models import Branch, PaymentAccount
from meis.payments.services import payment_account_set
from meis.payments.tests.conftest import iban
from tests.browser.test_award_page import accessible_at_every_width

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def last_code(person) -> str:
    message = Message.objects.filter(person=person, event="one_time_code").latest("id")
    found = re.search(r"\b(\d{6})\b", message.body_text)
    assert found is not None
    return found.group(1)


def test_a_pensioner_changes_the_account_with_a_code_from_the_home_page(
    browser, live_server, axe_source
):
    templates_seed(Template)
    for name in ("0002_seed_banks", "0008_seed_branches_and_card_bank"):
        importlib.import_module(f"meis.payments.migrations.{name}").seed(apps, None)
    document = factories.IdentityDocumentFactory()
    citizen = document.person
    granted(citizen, AwardKind.OLD_AGE_PENSION, datetime.date(2020, 3, 1))
    payment_account_set(person=citizen, iban=iban("IBAZ", 1), actor=None, reason="")
    ganja = Branch.objects.get(bank__code="kapital-bank", code="ganja")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/az/")
    page.click("main a[href='/az/sign-in/']")
    page.fill("#id_document_number", document.number)
    page.fill("#id_fin", citizen.fin)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/sign-in/code/"))
    page.fill("#id_code", last_code(citizen))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/my/record/"))
    page.click("[data-testid=my-payments]")
    page.wait_for_url(re.compile(r"/az/my/payments/$"))
    violations = accessible_at_every_width(page, axe_source, "my payments")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.fill("#id_iban", "AZ00 NOT AN IBAN")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    violations |= accessible_at_every_width(page, axe_source, "my payments (error)")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.fill("#id_iban", iban("AIIB", 2))
    page.select_option("#id_branch", value=str(ganja.pk))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/az/my/payments/confirm/$"))
    violations |= accessible_at_every_width(page, axe_source, "confirm")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#id_code", last_code(citizen))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/az/my/payments/$"))
    history = page.locator("[data-testid=account-history]").inner_text()
    violations |= accessible_at_every_width(page, axe_source, "my payments (changed)")

    context.close()
    assert "Gəncə filialı" in history
    assert iban("IBAZ", 1) in history  # the account before, kept
    current = PaymentAccount.objects.get(person=citizen, ended_at__isnull=True)
    assert (current.iban, current.branch) == (iban("AIIB", 2), ganja)
    assert violations == {}, violations
    assert errors == []
