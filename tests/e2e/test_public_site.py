"""The public home page is reachable without logging in and meets WCAG 2.1 A/AA."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_no_axe_violations

pytestmark = pytest.mark.e2e


def test_public_home_page_links_to_administration_and_meets_wcag(page: Page) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Insyn")
    expect(page.locator("main a[href='/admin/']")).to_be_visible()
    assert_no_axe_violations(page)
