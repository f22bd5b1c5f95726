"""The portal in real headless Chromium: accessibility (axe-core), language switch, skip link,
phone width."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PAGES = ["/{lang}/", "/{lang}/accessibility/", "/{lang}/privacy/", "/{lang}/no-such-page/"]


def _open(page, live_server, path):
    page.goto(live_server.url + path)
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


@pytest.mark.parametrize("lang", ["az", "en", "ru"])
@pytest.mark.parametrize("template", PAGES)
def test_the_pages_have_no_wcag_violations(
    page, live_server, axe_source, lang, template, js_errors
):
    _open(page, live_server, template.format(lang=lang))

    assert _axe_violations(page, axe_source) == []
    assert js_errors == []


@pytest.mark.parametrize("lang", ["az", "en", "ru"])
def test_the_home_page_declares_its_language(page, live_server, lang):
    _open(page, live_server, f"/{lang}/")

    assert page.get_attribute("html", "lang") == lang


def test_the_language_switch_shows_the_same_page_in_another_language(page, live_server):
    _open(page, live_server, "/az/privacy/")

    page.get_by_role("link", name="Русский").click()
    page.wait_for_url("**/ru/privacy/")

    assert page.get_attribute("html", "lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Конфиденциальность"
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/privacy/")
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy"


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(page, live_server):
    _open(page, live_server, "/en/")

    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    assert first == ["govuk-skip-link", "Skip to main content"]
    assert (
        page.evaluate("getComputedStyle(document.activeElement).clip") != "rect(0px, 0px, 0px, 0px)"
    )

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


@pytest.mark.parametrize("lang", ["az", "en", "ru"])
def test_a_phone_screen_needs_no_horizontal_scrolling(page, live_server, lang):
    page.set_viewport_size({"width": 360, "height": 740})
    for template in PAGES:
        _open(page, live_server, template.format(lang=lang))
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360, template


def test_the_menu_collapses_behind_a_button_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    _open(page, live_server, "/az/")
    menu = page.get_by_role("button", name="Menyu")

    assert not page.get_by_role("link", name="E-xidmətlər").is_visible()
    menu.click()
    assert page.get_by_role("link", name="E-xidmətlər").is_visible()
