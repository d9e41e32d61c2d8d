"""A user without a name changes the admin's language on the account page, to Polish and back to Swedish."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import Tenant, log_in

pytestmark = pytest.mark.e2e

ACCOUNT_URL = "/admin/account/"


def _choose_language(page: Page, code: str) -> None:
    page.goto(ACCOUNT_URL)
    page.select_option("#id_locale-preferred_language", value=code)
    with page.expect_navigation():  # saved, then redirected back to the account page
        page.click("#w-editor-form button[type=submit]")


def test_user_without_a_name_switches_to_polish_and_back_to_swedish(page: Page, pitea: Tenant) -> None:
    user = pitea.registrar
    user.first_name = user.last_name = ""
    user.save(update_fields=["first_name", "last_name"])

    log_in(page, user)
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    _choose_language(page, "pl")
    # Saved (the names are still empty), and the admin answers in Polish.
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator("#w-editor-form")).to_contain_text("Preferowany język")
    expect(page.locator("#w-editor-form button[type=submit]")).to_contain_text("Zapisz")
    expect(page.locator("#id_name_email-first_name")).to_have_value("")
    page.goto("/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "pl")

    _choose_language(page, "sv")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("#w-editor-form")).to_contain_text("Föredraget språk")
