"""A mistyped address in real headless Chromium: the product's 404 in the page's language, inside
the layout, accessible, readable on a 320 px screen, with a way back."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def _wait_for_scripts(page):
    # The module script has run when govuk-frontend marked the skip link as initialised.
    page.wait_for_selector(".govuk-skip-link[data-govuk-skip-link-init]", state="attached")


def _axe_violations(page, axe_source):
    page.evaluate(axe_source)  # not an inline <script>: the CSP refuses those
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(node["target"][0] for node in violation["nodes"])
        for violation in result["violations"]
    ]


def test_a_mistyped_russian_address_shows_the_russian_404_with_a_way_home(
    page, live_server, axe_source, js_errors
):
    page.goto(live_server.url + "/ru/")
    _wait_for_scripts(page)

    # A visitor types the catalogue's address from memory and gets it wrong.
    response = page.goto(live_server.url + "/ru/servisy/")
    _wait_for_scripts(page)

    assert response is not None
    assert response.status == 404
    assert page.get_attribute("html", "lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Страница не найдена"
    assert page.get_by_role("navigation", name="Меню").is_visible()
    assert page.get_by_role("contentinfo").is_visible()
    assert _axe_violations(page, axe_source) == []
    assert js_errors == []

    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.get_by_role("link", name="Перейти на главную страницу").click()
    page.wait_for_url("**/ru/")
    assert page.get_attribute("html", "lang") == "ru"
