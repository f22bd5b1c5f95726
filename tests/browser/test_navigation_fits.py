"""Issue 21: the service navigation fits on one row at 1280 px, for every persona of the crawl
(each sees its own items: the citizen the most, with the inbox's unread count), in Azerbaijani,
English and Russian. One page per persona and language: the navigation is the same on every
page. On a phone it collapses behind the menu button instead (`test_portal.py`)."""

from __future__ import annotations

import pytest

from tests.browser.test_crawl import (  # noqa: F401 — the crawl's fixtures, used by name
    DESKTOP,
    LANGUAGES,
    PERSONAS,
    _signing_key,
    signed_in,
    signing_dir,
    world,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Each navigation item's label, the top and right edges of its box, and the list's right edge.
ITEMS_JS = """
() => {
  const list = document.querySelector('#navigation').getBoundingClientRect();
  return [...document.querySelectorAll('#navigation .govuk-service-navigation__item')].map(
    (item) => {
      const box = item.getBoundingClientRect();
      return [item.innerText.trim(), Math.round(box.top), box.right - list.right, box.width];
    },
  );
}
"""


def test_the_navigation_fits_on_one_row_at_1280_px_for_every_persona(
    signed_in,  # noqa: F811 — the crawl's fixture
    live_server,
):
    wrapped: dict[str, list[str]] = {}
    for persona in PERSONAS:
        page = signed_in(persona)
        page.set_viewport_size(DESKTOP)
        for lang in LANGUAGES:
            page.goto(f"{live_server.url}/{lang}/")
            items = page.evaluate(ITEMS_JS)
            assert len(items) >= 3, f"{persona.name} {lang}: {items}"
            if len({top for _, top, _, _ in items}) > 1 or any(
                beyond > 0.5 or width == 0 for _, _, beyond, width in items
            ):
                wrapped[f"{persona.name} {lang}"] = [
                    f"{label} (top {top}"
                    + (f", {beyond:.0f} px too far right)" if beyond > 0.5 else ")")
                    for label, top, beyond, _ in items
                ]
    assert wrapped == {}, "the navigation does not fit on one row at 1280 px:\n" + "\n".join(
        f"{who}: {', '.join(items)}" for who, items in wrapped.items()
    )
