"""An archivist previews a plan file row by row, fixes an unclear rule in place and imports it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from insyn.core.permissions import SYSTEM
from insyn.core.services.organisations import role_assign
from insyn.records.models import RetentionPlan
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.support import PASSWORD, Tenant, log_in, save_screenshot

pytestmark = pytest.mark.e2e

CSV = (
    "Process;Aktivitet;Handlingstyp;Bevaras/Gallras;Anmärkning;Ägare\n"
    "2.9.2.1 Publicera;Publicera;Webbsidor;Bevaras;;Kansliet\n"
    "2.9.2.1 Publicera;Publicera;Bilder;Gallras efter 2 år. Bevaras.;;\n"
    "2.9.3.1 Registrera;Registrera;Diarium;Gallras efter 7 år;Notering;\n"
)


def test_import_preview_shows_every_row_and_the_chosen_reading_is_stored(page: Page, pitea: Tenant) -> None:
    archivist = get_user_model().objects.create_user(username="arkivarie.pitea", password=PASSWORD)
    role_assign(actor=SYSTEM, user=archivist, organisation=pitea.municipality, role_code="archivist")

    log_in(page, archivist)
    page.goto("/admin/records/import/")
    page.set_input_files("#id_file", {"name": "ks_plan.csv", "mimeType": "text/csv", "buffer": CSV.encode()})
    page.select_option("#id_organisation", label=f"Kommunstyrelsen ({pitea.municipality.name})")
    page.click("#import-upload button[type=submit]")

    expect(page.locator("mark.retention-span").first).to_be_visible()
    for name in ("Webbsidor", "Bilder", "Diarium"):
        expect(page.locator("details.import-process td.title", has_text=name)).to_have_count(1)
    attention = page.locator(".import-attention")
    expect(attention).to_contain_text("Bilder")
    expect(attention).to_contain_text("Oklar regel")
    assert_no_axe_violations(page)
    save_screenshot(page, "import-preview.png")

    page.select_option("#id_rule_3", index=2)  # "Leave unclear", then the readings in the order found
    page.fill("#id_title", "Plan för Kommunstyrelsen")
    page.click("#import-confirm button[type=submit]")

    page.wait_for_url("**/admin/records/plan/*/")
    plan = RetentionPlan.objects.get()
    assert plan.title == "Plan för Kommunstyrelsen"
    assert plan.document_types.get(name="Bilder").action == "retain"
    expect(page.locator("mark.retention-span").first).to_be_visible()
    assert_no_axe_violations(page)
