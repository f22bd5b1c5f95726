"""The Content-Security-Policy blocks nothing the pages need: in real Chromium, the pages that
run scripts (the home page's JavaScript marker, the statistics charts, the hall's display, the
API documentation) work under the policy and report no violation, and the language switch
still works. A violation is seen twice: by a `securitypolicyviolation` listener in the page and
by Chromium's console message about the Content Security Policy."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_statistics import charts_drawn, this_year_used  # noqa: F401 — fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LISTENER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  (event) => window.__violations.push(`${event.effectiveDirective} ${event.blockedURI}`));
"""


@pytest.fixture
def violations(page) -> list[str]:
    """Every violation any page of the test reports (console); `in_page` reads the listener."""
    found: list[str] = []
    page.add_init_script(LISTENER)
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def in_page(page) -> list[str]:
    return page.evaluate("() => window.__violations")


def test_the_home_page_runs_its_scripts_and_the_language_switch_works(
    page, live_server, violations, js_errors
):
    response = page.goto(f"{live_server.url}/en/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "js-enabled" in page.eval_on_selector("body", "body => body.className")
    page.click("text=Русский")
    page.wait_for_url(re.compile(r"/ru/$"))
    assert page.get_attribute("html", "lang") == "ru"
    assert in_page(page) == []
    assert violations == []
    assert js_errors == []


@pytest.mark.usefixtures("this_year_used")
def test_the_statistics_charts_are_drawn_under_the_policy(page, live_server, violations, js_errors):
    page.goto(f"{live_server.url}/en/statistics/")
    page.wait_for_function("() => window.Chart !== undefined")
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure[data-chart] canvas')]"
        ".filter(c => window.Chart.getChart(c)).length === 2"
    )
    assert charts_drawn(page) == 2
    assert in_page(page) == []
    assert violations == []
    assert js_errors == []


def test_the_halls_display_asks_for_the_called_ticket_under_the_policy(
    page, live_server, violations, js_errors
):
    with page.expect_response(re.compile(r"/display/now/")) as polled:
        page.goto(f"{live_server.url}/en/queue/baku-1/display/")
    assert polled.value.status == 200
    assert in_page(page) == []
    assert violations == []
    assert js_errors == []


def test_the_api_documentation_renders_under_the_policy(page, live_server, violations, js_errors):
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "MEİS API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock")
    assert in_page(page) == []
    assert violations == []
    assert js_errors == []


def test_a_blocked_inline_script_is_reported(page, live_server, violations, js_errors):
    """The listeners above see a violation when there is one (else they would prove nothing)."""
    page.goto(f"{live_server.url}/en/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__ran = true'; document.body.append(s); }"
        )
    assert page.evaluate("() => window.__ran") is None
    assert in_page(page) == ["script-src-elem inline"]
    assert any("script-src" in message for message in violations)
    assert any("Content Security Policy" in error for error in js_errors)
