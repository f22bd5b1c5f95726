"""The monthly payroll in Chromium, on the Azerbaijani pages: an administrator signs in from the
home page, reaches "Monthly payroll" by clicking and computes last month's payroll for three
pensioners; the page tells them, in Azerbaijani, that another administrator must approve it. A
second administrator opens the run, approves it and writes the payment files: one per bank, and
the download is a pain.001 XML file. The payroll and run pages pass axe-core (WCAG 2.2 AA) at
1280 px and 320 px with no sideways scroll, and show no raw code or untranslated English."""

from __future__ import annotations

import datetime
import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone, translation
from django.utils.translation import gettext

from meis.accounts.tests import factories
from meis.accounts.tests.conftest import totp_now
from meis.awards.models import AwardKind
from meis.awards.tests.factories import granted
from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from meis.payments.models import PaymentFile, PayrollRun, RunState
from meis.payments.services import payment_account_set
from meis.payments.tests.conftest import iban, person_make
from tests.browser.test_award_page import accessible_at_every_width
from tests.rawtext import find_raw_text, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _payment_files_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def az(message: str) -> str:
    with translation.override("az"):
        return gettext(message)


def last_month() -> datetime.date:
    first_of_this_month = timezone.localdate().replace(day=1)
    return (first_of_this_month - datetime.timedelta(days=1)).replace(day=1)


def pensioner_paid_at(bank_code: str, account: int) -> None:
    person = person_make(birth_on=datetime.date(1955, 1, 1))
    payment_account_set(person=person, iban=iban(bank_code, account), actor=None, reason="")
    granted(person, AwardKind.OLD_AGE_PENSION, datetime.date(2020, 3, 1))


def signed_in_from_the_home_page(browser: Any, base: str, user: Any) -> tuple[Any, list[str]]:
    """A new browser of the staff member, signed in from the Azerbaijani home page by clicking."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/az/")
    page.click("main a[href='/az/sign-in/']")
    page.click("main a[href='/az/staff/sign-in/']")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.STAFF_PASSWORD)
    page.fill("#id_otp_token", totp_now(user))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/az/staff/$"))
    return page, errors


def checked(page: Any, axe_source: str, label: str) -> dict[str, list[str]]:
    """axe-core and the reflow at 1280 and 320 px, and the raw text of the Azerbaijani page."""
    found = accessible_at_every_width(page, axe_source, label)
    page.set_viewport_size({"width": 1280, "height": 900})
    raw = find_raw_text(visible_text(page.content()), "az")
    if raw:
        found[f"{label}: raw text"] = raw
    return found


def test_two_administrators_compute_approve_and_release_the_payroll(
    browser, live_server, axe_source
):
    templates_seed(Template)
    importlib.import_module("meis.payments.migrations.0002_seed_banks").seed(apps, None)
    for bank_code, account in (("AIIB", 1), ("AIIB", 2), ("IBAZ", 3)):
        pensioner_paid_at(bank_code, account)
    first = factories.staff_user("administrator")
    second = factories.staff_user("administrator")
    month = last_month()

    # The first administrator computes last month's payroll.
    page, errors = signed_in_from_the_home_page(browser, live_server.url, first)
    page.click("[data-testid=payroll]")
    page.wait_for_url(re.compile(r"/az/backoffice/payroll/$"))
    assert page.inner_text("h1") == az("Monthly payroll")
    violations = checked(page, axe_source, "payroll (empty)")
    page.fill("#id_month", f"{month:%Y-%m}")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=runs]")
    run = PayrollRun.objects.get(month=month)
    assert (run.state, run.items_due, run.computed_by) == (RunState.COMPUTED, 3, first)
    row = page.locator("[data-testid=runs] tbody tr").first.inner_text()
    assert f"{month:%m.%Y}" in row
    # They cannot approve their own run: no button, and the page says why, in Azerbaijani.
    assert az("Another administrator must approve it.") in row
    assert az("Another administrator must approve it.") != "Another administrator must approve it."
    assert page.locator("[data-testid=runs] form").count() == 0
    violations |= checked(page, axe_source, "payroll (computed)")
    page.context.close()

    # A second administrator opens the run, approves it and writes the files.
    page, more_errors = signed_in_from_the_home_page(browser, live_server.url, second)
    errors += more_errors
    page.click("[data-testid=payroll]")
    page.wait_for_url(re.compile(r"/az/backoffice/payroll/$"))
    page.click(f"[data-testid=runs] a:text-is('{month:%m.%Y}')")
    page.wait_for_url(re.compile(rf"/az/backoffice/payroll/{run.pk}/$"))
    with translation.override("az"):
        assert page.inner_text("h1") == gettext("Payroll of %(month)s") % {
            "month": f"{month:%m.%Y}"
        }
    violations |= checked(page, axe_source, "run (computed)")
    page.click("a.govuk-back-link")
    page.wait_for_url(re.compile(r"/az/backoffice/payroll/$"))
    page.get_by_role("button", name=az("Approve")).click()
    page.wait_for_selector(f"[data-testid=runs] button:text-is('{az('Write the payment files')}')")
    run.refresh_from_db()
    assert (run.state, run.approved_by) == (RunState.APPROVED, second)
    page.get_by_role("button", name=az("Write the payment files")).click()
    page.wait_for_selector("[data-testid=runs] a[download]")
    run.refresh_from_db()
    assert run.state == RunState.RELEASED

    # One file per bank, each with its number of payments; the download is a pain.001 file.
    files = PaymentFile.objects.filter(run=run).select_related("bank")
    assert sorted(f.item_count for f in files) == [1, 2]
    links = page.locator("[data-testid=runs] a[download]")
    assert links.count() == 2
    assert sorted(links.all_inner_texts()) == sorted(f.bank.name for f in files)
    violations |= checked(page, axe_source, "payroll (released)")
    with page.expect_download() as download_info:
        links.first.click()
    download = download_info.value
    content = Path(download.path()).read_text(encoding="utf-8")
    # The name the browser offers ends with the file's type, so it opens as XML once saved.
    assert download.suggested_filename.startswith(f"pain001-{month:%Y-%m}-")
    assert download.suggested_filename.endswith(".xml")
    assert content.startswith("<?xml")
    assert "pain.001" in content

    page.click(f"[data-testid=runs] a:text-is('{month:%m.%Y}')")
    page.wait_for_url(re.compile(rf"/az/backoffice/payroll/{run.pk}/$"))
    page.wait_for_selector("[data-testid=reconciliation]")
    violations |= checked(page, axe_source, "run (released)")
    page.context.close()

    assert violations == {}, violations
    assert errors == []
