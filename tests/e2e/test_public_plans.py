"""Citizens browse, search and download adopted retention plans on the public site, which meets WCAG 2.1 A/AA."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from insyn.core.tests.factories import make_municipality, make_organ
from insyn.records.models import RetentionPlan
from insyn.records.tests.factories import import_plan, make_plan_data
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.support import save_screenshot

pytestmark = pytest.mark.e2e

# make_plan_data(): two processes, four document types; two of them are kept in "Tjänstemans rum".
PROCESSES = {"2.9.2.0": "2.9.2.0 Leda, styra, organisera", "2.9.2.6": "2.9.2.6 Annonsera"}
COLUMNS = 5  # activity, document type, storage, retain/dispose, remarks: headers checked by count, not wording
KEPT_IN_OFFICIALS_ROOM = ["Handlingsplan för sociala medier", "Annonser i dagspress och annonsblad"]
KEPT_ELSEWHERE = ["Riktlinjer för användning av sociala medier", "Avtal i samband med annonsering"]


def publish_plan(municipality_name: str) -> RetentionPlan:
    """An adopted plan of the municipal board: what the import of an adopted plan publishes."""
    plan: RetentionPlan = import_plan(make_organ(make_municipality(municipality_name)), make_plan_data())
    return plan


@pytest.fixture
def plan(transactional_db: Any) -> RetentionPlan:
    # Adopted plans are frozen by triggers; Insyn's `flush` lifts them between live-server tests.
    return publish_plan("Torsby kommun")


def test_plan_index_lists_adopted_plans_by_municipality_and_meets_wcag(page: Page, plan: RetentionPlan) -> None:
    draft = import_plan(make_organ(make_municipality("Piteå kommun")), make_plan_data(status="draft"))

    page.goto("/plans/")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=2)).to_have_text(["Torsby kommun"])  # no heading for Piteå's draft
    link = main.get_by_role("link", name="Dokumenthanteringsplan – Stödprocesser")
    expect(link).to_have_attribute("href", f"/plans/{plan.pk}/")
    expect(main.locator(f"a[href='/plans/{draft.pk}/']")).to_have_count(0)
    assert_no_axe_violations(page)

    link.click()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("DokumenthanteringsplanStödprocesser")


def test_plan_page_lists_processes_that_lead_to_their_captioned_tables_and_meets_wcag(
    page: Page, plan: RetentionPlan
) -> None:
    page.goto(f"/plans/{plan.pk}/")
    assert_no_axe_violations(page)
    save_screenshot(page, "public-plan.png")

    # The plan's page is its table of contents; each process has a page of its own.
    toc_links = page.locator("main nav").get_by_role("link")
    expect(toc_links).to_have_text(list(PROCESSES.values()))
    rows = {
        "2.9.2.0": [KEPT_ELSEWHERE[0], KEPT_IN_OFFICIALS_ROOM[0]],
        "2.9.2.6": [KEPT_IN_OFFICIALS_ROOM[1], KEPT_ELSEWHERE[1]],
    }
    for index, (code, title) in enumerate(PROCESSES.items()):
        page.goto(f"/plans/{plan.pk}/")
        link = page.locator("main nav").get_by_role("link").nth(index)
        href = link.get_attribute("href")
        assert href is not None
        assert href.startswith(f"/plans/{plan.pk}/process/")
        link.click()
        expect(page).to_have_url(re.compile(f"{re.escape(href)}$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(title)

        # The page holds one table, named by its caption, with a header for each column.
        table = page.locator("main").get_by_role("table", name=re.compile(rf"\b{re.escape(code)}\b"))
        expect(table).to_have_count(1)
        expect(table.locator("caption")).to_have_count(1)
        expect(table.get_by_role("columnheader")).to_have_text([re.compile(r"\S")] * COLUMNS)
        # Each document type heads its row, so a screen reader announces it with every cell.
        expect(table.get_by_role("rowheader")).to_have_text(rows[code])
        assert_no_axe_violations(page)

    # A link into the former one-page plan (…/#p-<process>) still finds the process, now in the contents.
    fragment = page.locator("main nav a[rel=prev]").get_attribute("href")
    assert fragment is not None
    process_id = fragment.rstrip("/").rsplit("/", 1)[1]
    page.goto(f"/plans/{plan.pk}/#p-{process_id}")
    expect(page.locator(":target")).to_have_text(PROCESSES["2.9.2.0"])
    expect(page.locator(":target")).to_be_in_viewport()
    assert_no_axe_violations(page)  # with a :target on the page


def test_search_from_plan_page_forgives_missing_diacritics_and_meets_wcag(page: Page, plan: RetentionPlan) -> None:
    elsewhere = publish_plan("Piteå kommun")  # same rows: the plan page searches its own municipality only

    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("search").get_by_role("searchbox").fill("tjanstemans rum")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/plans/sok/\?"))
    assert f"municipality={plan.organisation.municipality_id}" in page.url

    results = page.locator("main table")
    expect(results.get_by_role("rowheader")).to_have_text(KEPT_IN_OFFICIALS_ROOM)
    for name in KEPT_ELSEWHERE:
        expect(results).not_to_contain_text(name)
    expect(results.locator(f"a[href^='/plans/{elsewhere.pk}/']")).to_have_count(0)
    expect(page.get_by_role("searchbox")).to_have_value("tjanstemans rum")
    assert_no_axe_violations(page)

    # A hit leads to its row on the page of the process it belongs to.
    results.get_by_role("link", name=PROCESSES["2.9.2.0"]).first.click()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/process/\d+/#d-\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PROCESSES["2.9.2.0"])
    expect(page.locator(":target").get_by_role("rowheader")).to_have_text(KEPT_IN_OFFICIALS_ROOM[0])

    page.go_back()
    page.get_by_role("search").get_by_role("searchbox").fill("förvaringsskåp")
    page.get_by_role("search").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"q=f%C3%B6rvaringssk%C3%A5p"))
    expect(page.locator("main h2")).to_have_text(re.compile(r"^\s*0\b.*förvaringsskåp"))
    expect(page.locator("main table")).to_have_count(0)
    assert_no_axe_violations(page)


def test_plan_pdf_link_downloads_a_pdf(page: Page, plan: RetentionPlan) -> None:
    page.goto(f"/plans/{plan.pk}/")
    href = page.locator("main a[href$='/pdf/']").get_attribute("href")
    assert href == f"/plans/{plan.pk}/pdf/"

    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].split(";")[0] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page: Page, plan: RetentionPlan) -> None:
    page.goto(f"/plans/{plan.pk}/")
    skip = page.locator("a[href='#main']")
    expect(skip).not_to_be_in_viewport()  # hidden until focused

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # and visible when it has focus
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    # The next Tab continues inside the content, past the site's menu.
    page.keyboard.press("Tab")
    expect(page.locator("main a").first).to_be_focused()


def test_language_switch_to_polish_rerenders_plan_page_and_meets_wcag(page: Page, plan: RetentionPlan) -> None:
    page.goto(f"/plans/{plan.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    footer = page.locator("footer")
    footer.get_by_role("combobox").select_option(label="polski")
    footer.get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/$"))
    expect(footer.locator("label[for=language]")).to_have_text("Język")
    expect(footer.get_by_role("combobox")).to_have_value("pl")
    assert_no_axe_violations(page)
