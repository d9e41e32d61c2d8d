"""A citizen reads a municipality's privacy notice in Swedish, Polish and English; each page meets WCAG 2.1 A/AA."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from insyn.core.actor import SYSTEM
from insyn.privacy.services.notices import notice_generate, notice_publish, notice_set_texts
from insyn.privacy.tests.test_notice_pitea import NOTICE_TITLE, SEED_TITLES, Pitea, make_pitea_register
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.support import save_screenshot

pytestmark = pytest.mark.e2e

URL = "/integritet/pitea-kommun/kommunstyrelsen/fortroendevald/"


@pytest.fixture
def published(transactional_db: Any) -> Pitea:
    pitea = make_pitea_register()
    version = notice_generate(actor=SYSTEM, controller=pitea.board, subject_category=pitea.official)
    assert version is not None
    notice_set_texts(actor=pitea.dpo, notice=version.notice, titles={"sv": NOTICE_TITLE}, intros={})
    version.refresh_from_db()
    notice_publish(actor=pitea.dpo, version=version)
    return pitea


def _use_language(page: Page, live_server: Any, code: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])


@pytest.mark.parametrize("language", ["sv", "pl", "en"])
def test_notice_pages_meet_wcag_in_every_language(
    page: Page, live_server: Any, published: Pitea, language: str
) -> None:
    _use_language(page, live_server, language)
    page.goto("/integritet/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_axe_violations(page)

    page.goto(URL)
    expect(page.locator("html")).to_have_attribute("lang", language)
    tables = page.locator("main table")
    expect(tables).to_have_count(len(SEED_TITLES))
    for title in SEED_TITLES:
        expect(page.locator("main").get_by_role("table", name=title)).to_have_count(1)
    expect(page.locator("section.objection").get_by_role("heading", level=2)).to_have_count(1)
    assert_no_axe_violations(page)
    if language == "sv":
        expect(page.get_by_role("heading", level=1)).to_have_text(NOTICE_TITLE)
        save_screenshot(page, "privacy-notice.png")

    page.goto(f"{URL}versioner/")
    assert_no_axe_violations(page)


def test_the_index_leads_to_the_notice(page: Page, published: Pitea) -> None:
    page.goto("/integritet/")
    page.get_by_role("link", name=NOTICE_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NOTICE_TITLE)
