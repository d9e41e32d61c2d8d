"""The dashboard's panel lists the governing documents in force that expire within 90 days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from insyn.core.permissions import SYSTEM
from insyn.core.services.documents import governing_document_create
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.support import Tenant, log_in, save_screenshot

pytestmark = pytest.mark.e2e


def test_dashboard_lists_documents_expiring_within_90_days(page: Page, pitea: Tenant) -> None:
    today = timezone.localdate()
    governing_document_create(
        actor=SYSTEM,
        organisation=pitea.board,
        title="Anvisning för lån av teknisk utrustning förtroendevalda",
        document_type="instruction",
        status="in_force",
        registration_number="22KS572",
        valid_until=today + dt.timedelta(days=40),
    )
    governing_document_create(
        actor=SYSTEM,
        organisation=pitea.board,
        title="Riktlinje för sociala medier",
        document_type="guideline",
        status="in_force",
        registration_number="23KS101",
        valid_until=today + dt.timedelta(days=200),
    )

    log_in(page, pitea.registrar)
    panel = page.locator("#expiring-documents-section")
    expect(panel).to_contain_text("22KS572")
    expect(panel).to_contain_text("Anvisning för lån av teknisk utrustning förtroendevalda")
    expect(panel).not_to_contain_text("23KS101")
    assert_no_axe_violations(page)
    save_screenshot(page, "dashboard.png")
