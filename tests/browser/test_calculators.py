"""The public calculators in real headless Chromium: no WCAG violations (axe-core) on the empty
form, a result with its explanation, and the error summary — in az, en and ru."""

from urllib.parse import urlencode

import pytest

from tests.browser.test_portal import _axe_violations, _open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PENSION = {
    "sex": "female",
    "birth_day": "10",
    "birth_month": "5",
    "birth_year": "1962",
    "record_years": "20",
    "record_months": "3",
    "capital": "30000",
}
FAMILY = {
    "members": "4",
    "average_income": "400",
    "purchases": "0",
    "utility_spending": "50",
    "has_vehicle": "no",
    "refused_jobs": "no",
    "has_second_property": "no",
}
STATES = {
    "pension-empty": "pension/",
    "pension-result": "pension/?" + urlencode(PENSION),
    "pension-errors": "pension/?" + urlencode(PENSION | {"capital": "-1", "birth_year": "2999"}),
    "assistance-empty": "targeted-assistance/",
    "assistance-result": "targeted-assistance/?" + urlencode(FAMILY),
    "assistance-refused": "targeted-assistance/?" + urlencode(FAMILY | {"has_vehicle": "yes"}),
    "assistance-errors": "targeted-assistance/?" + urlencode({"members": "0"}),
}


@pytest.mark.parametrize("lang", ["az", "en", "ru"])
@pytest.mark.parametrize("state", sorted(STATES))
def test_the_calculators_have_no_wcag_violations(
    page, live_server, axe_source, lang, state, js_errors
):
    _open(page, live_server, f"/{lang}/calculators/{STATES[state]}")

    assert _axe_violations(page, axe_source) == []
    assert js_errors == []


def test_the_error_summary_links_move_focus_to_the_field(page, live_server):
    _open(page, live_server, "/en/calculators/pension/?" + urlencode({"sex": "female"}))

    page.get_by_role("link", name="Date of birth must include a day").click()
    assert page.evaluate("document.activeElement.id") == "id_birth_day"


def test_filling_in_the_pension_calculator_shows_the_estimate(page, live_server):
    _open(page, live_server, "/en/calculators/pension/")
    page.get_by_label("Female").check()
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month", exact=True).fill("5")
    page.get_by_label("Year", exact=True).fill("1962")
    page.get_by_label("Years", exact=True).fill("30")
    page.get_by_label("Months", exact=True).fill("0")
    page.get_by_label("Pension capital (AZN)").fill("72000")
    page.get_by_role("button", name="Calculate").click()
    page.wait_for_selector("#result")

    assert "Estimated monthly pension: 500.00 AZN" in page.inner_text("#result")
