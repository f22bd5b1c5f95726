"""Headless Chromium (the Debian package, never a downloaded browser) and axe-core for the
browser tests. Without Chromium or axe-core (`make browser-deps`) the tests skip, unless
MEIS_REQUIRE_BROWSER=1 (CI) turns the skip into a failure."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM (live_server's test
# database setup) refuses to run next to one unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("MEIS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (MEIS_REQUIRE_BROWSER=1 requires the browser tests to run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        _unavailable("chromium is not installed: apt-get install chromium")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.exists():
        _unavailable(f"axe-core is missing at {AXE_PATH}: run `make browser-deps`")
    return AXE_PATH.read_text()


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[object]:
    """Chromium for one test module. Playwright's sync API keeps an asyncio loop running in this
    thread while it is open, and under pytest-xdist the same worker runs other apps' tests
    (pyHanko's validator calls `asyncio.run`), so it is not kept open for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _record_console_error(message, page_url: str, js_errors: list[str]) -> None:
    # govuk-frontend reports a component that cannot start with console.error, not an exception.
    # A 404 page's own status is reported too; a missing stylesheet or script is still an error,
    # and so is anything the Content-Security-Policy blocked (reported at the page's address).
    if message.type != "error":
        return
    blocked = "Content Security Policy" in message.text
    if message.location.get("url") == page_url and not blocked:
        return
    js_errors.append(f"{message.text} ({message.location.get('url')})")


@pytest.fixture
def js_errors() -> list[str]:
    """Uncaught JavaScript errors of the page under test; a test may assert it stays empty."""
    return []


@pytest.fixture
def page(browser, live_server, js_errors):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    page.on("console", lambda message: _record_console_error(message, page.url, js_errors))
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _seed_catalogue(transactional_db: None) -> None:
    """The pages under test offer the seed e-service catalogue (the root conftest re-seeds what
    data migrations seed after each flush; the catalogue comes from an import, as in the demo)."""
    from meis.catalog.services import catalog_import_seed

    catalog_import_seed()


@pytest.fixture(autouse=True)
def _sign_in_limits_start_afresh() -> None:
    """Every browser test signs in from 127.0.0.1: the per-address limits on code requests
    (a per-process cache) would otherwise carry over from the worker's earlier tests and refuse
    a sign-in once enough tests ran in one worker."""
    from django.core.cache import cache

    cache.clear()
