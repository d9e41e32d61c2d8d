"""A registrar logs in, records a governing document through the admin and finds it in the list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from insyn.core.models import AuditEntry, GoverningDocument
from insyn.core.permissions import SYSTEM
from insyn.core.services.documents import governing_document_create
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.support import PASSWORD, Tenant, log_in

pytestmark = pytest.mark.e2e

LIST_URL = "/admin/governing_documents/"


def test_registrar_creates_governing_document_and_finds_it_in_list(page: Page, pitea: Tenant) -> None:
    page.goto("/admin/login/")
    assert_no_axe_violations(page)
    page.fill("#id_username", pitea.registrar.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/admin/")
    assert_no_axe_violations(page)

    page.goto(f"{LIST_URL}new/")
    assert_no_axe_violations(page)
    page.select_option("#id_organisation", value=str(pitea.board.pk))
    page.fill("#id_title", "Riktlinje för informationssäkerhet")
    page.select_option("#id_document_type", value="guideline")
    page.select_option("#id_status", value="in_force")
    page.fill("#id_registration_number", "KS 2026/118")
    page.fill("#id_valid_until", "2027-01-31")
    page.keyboard.press("Escape")  # close the date picker the input opened
    page.click("#w-editor-form button[type=submit]")
    # Saving redirects to the list; staying on the form means it was refused.
    expect(page).to_have_url(re.compile(rf"{LIST_URL}$"))
    assert_no_axe_violations(page)  # the list with the "created" message

    page.goto(LIST_URL)
    expect(page.locator("table.listing")).to_contain_text("Riktlinje för informationssäkerhet")
    expect(page.locator("table.listing")).to_contain_text("KS 2026/118")

    document = GoverningDocument.objects.get(title="Riktlinje för informationssäkerhet")
    assert document.organisation == pitea.board
    assert document.document_type == "guideline"
    assert document.status == "in_force"
    assert document.registration_number == "KS 2026/118"
    assert document.valid_until == dt.date(2027, 1, 31)
    audit = AuditEntry.objects.get(object_type="core.governingdocument", object_id=str(document.pk))
    assert audit.action == "create"
    assert audit.actor_id == pitea.registrar.pk


def test_registrar_does_not_see_documents_of_another_municipality(page: Page, pitea: Tenant, torsby: Tenant) -> None:
    foreign = governing_document_create(
        actor=SYSTEM,
        organisation=pitea.board,
        title="Dokumenthanteringsplan för Piteå",
        document_type="plan",
        status="in_force",
        registration_number="KS 2025/77",
    )
    governing_document_create(
        actor=SYSTEM,
        organisation=torsby.board,
        title="Dokumenthanteringsplan för Torsby",
        document_type="plan",
        status="in_force",
        registration_number="KS 2025/78",
    )

    log_in(page, torsby.registrar)
    page.goto(LIST_URL)
    listing = page.locator("table.listing")
    expect(listing).to_contain_text("Dokumenthanteringsplan för Torsby")
    expect(page.locator("main")).not_to_contain_text("Dokumenthanteringsplan för Piteå")
    expect(page.locator("main")).not_to_contain_text("KS 2025/77")
    assert_no_axe_violations(page)

    search = page.goto(f"{LIST_URL}?q=Dokumenthanteringsplan")
    assert search is not None
    assert search.status == 200
    expect(page.locator("main")).to_contain_text("Dokumenthanteringsplan för Torsby")
    expect(page.locator("main")).not_to_contain_text("Dokumenthanteringsplan för Piteå")
    assert page.request.get(f"{LIST_URL}edit/{foreign.pk}/").status == 404
