"""Archivist's admin pages: adopt a draft, compare versions, export, structure unclear rules, grammar rules."""

from __future__ import annotations

import pytest

from insyn.records.models import PlanStatus, RetentionPattern
from insyn.records.services import plan_new_version


def test_adopt_page_adopts_a_draft_and_replaces_the_old_version(client, torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    unclear = draft.document_types.get(action="unclear")
    client.force_login(torsby.archivist)
    response = client.post(
        f"/admin/records/plan/{draft.pk}/adopt/",
        {
            "adopted_by": "Kommunstyrelsen",
            "adopted_on": "2026-11-16",
            "paragraph": "§ 150",
            "version": "1.1",
            "revision_note": "Annonsering",
            f"unclear_{unclear.pk}": "Se anmärkning",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    torsby.plan.refresh_from_db()
    assert draft.status == PlanStatus.ADOPTED and torsby.plan.status == PlanStatus.REPLACED


def test_adopt_page_refuses_an_adopted_plan(client, torsby):
    client.force_login(torsby.archivist)
    response = client.post(
        f"/admin/records/plan/{torsby.plan.pk}/adopt/",
        {"adopted_by": "KS", "adopted_on": "2026-11-16", "version": "9"},
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    torsby.plan.refresh_from_db()
    assert torsby.plan.version == "1.0"


def test_compare_page_shows_changed_rows(client, torsby):
    from insyn.records.services import document_type_update

    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    row = draft.document_types.get(name="Avtal i samband med annonsering")
    document_type_update(actor=torsby.archivist, document_type=row, retention_text="Bevaras", action="retain")
    client.force_login(torsby.archivist)
    response = client.get(f"/admin/records/plan/{draft.pk}/compare/")
    assert response.status_code == 200
    diff = response.context["diff"]
    assert [c.key[2] for c in diff.changed] == ["Avtal i samband med annonsering"]
    assert "Se anmärkning" in response.text and "Bevaras" in response.text


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "ods", "csv", "json"])
def test_export_buttons_download_each_format(client, torsby, fmt):
    client.force_login(torsby.archivist)
    response = client.get(f"/admin/records/plan/{torsby.plan.pk}/export/{fmt}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    assert len(response.content) > 100


def test_unclear_rules_are_listed_for_drafts_and_structured_in_the_form(client, torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    client.force_login(torsby.archivist)
    dashboard = client.get("/admin/")
    assert "Avtal i samband med annonsering" in dashboard.text
    row = draft.document_types.get(action="unclear")
    listing = client.get("/admin/records/document-types/", {"action": "unclear", "plan": draft.pk})
    assert row in list(listing.context["object_list"])
    response = client.post(
        f"/admin/records/document-types/edit/{row.pk}/",
        {
            "activity": row.activity_id,
            "name": row.name,
            "retention_text": "Gallras 2 år efter avslutat ärende",
            "action": "dispose",
            "period": "P2Y",
            "trigger": "case_closed",
            "trigger_event": "",
            "align": "none",
            "sampling": "",
            "personal_data": "unknown",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    row.refresh_from_db()
    assert (row.action, row.period, row.trigger) == ("dispose", "P2Y", "case_closed")


def test_grammar_rule_added_in_admin_changes_parsing(client, torsby):
    from insyn.records.grammar import parse_with_user_rules

    assert parse_with_user_rules("Makuleras efter 3 månader").action == "unclear"
    client.force_login(torsby.archivist)
    response = client.post(
        "/admin/records/retention-patterns/new/",
        {
            "name": "Makulering",
            "pattern": "makuleras efter {PERIOD}",
            "lang": "sv",
            "action": "dispose",
            "period": "P{n}{unit}",
            "trigger": "created",
            "align": "none",
            "priority": 150,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pattern = RetentionPattern.objects.get()
    assert pattern.municipality == torsby.municipality
    rule = parse_with_user_rules("Makuleras efter 3 månader", municipality_id=torsby.municipality.pk)
    assert (rule.action, rule.period) == ("dispose", "P3M")


def test_invalid_grammar_rule_is_refused(client, torsby):
    client.force_login(torsby.archivist)
    response = client.post(
        "/admin/records/retention-patterns/new/",
        {
            "name": "Trasig",
            "pattern": "gallras (",
            "lang": "sv",
            "action": "dispose",
            "trigger": "created",
            "align": "none",
            "priority": 150,
        },
    )
    assert response.status_code == 200
    assert not RetentionPattern.objects.exists()
