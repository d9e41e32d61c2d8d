"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.support import Tenant, make_tenant

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; never a browser downloaded by `playwright install`
# The machine has no network but the package registries: Chromium's background connections would be refused.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole session; each test gets its own context (cookies, storage)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (`make test-deps` or apt-get install chromium)")
    # Playwright's sync API keeps an asyncio loop running in this thread; the ORM calls the tests make between
    # browser steps would be refused with SynchronousOnlyOperation. Set here, not at import, so that the tests
    # running before the first browser test keep Django's guard.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    # Reduced motion stops Wagtail's 25-second "ping" badge animation, which axe would otherwise wait for.
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="sv-SE", reduced_motion="reduce")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def pitea(transactional_db: Any) -> Tenant:
    return make_tenant("Piteå kommun", "registrator.pitea", "Anna Lindberg")


@pytest.fixture
def torsby(transactional_db: Any) -> Tenant:
    return make_tenant("Torsby kommun", "registrator.torsby", "Lars Nyström")
