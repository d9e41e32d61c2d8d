"""The same rules through API, CLI, admin and the public site."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import APIToken

from insyn.records.models import DocumentType, PlanStatus, RetentionPlan
from insyn.records.services import plan_new_version
from insyn.records.tests.factories import make_plan_data


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=user, name='t')[1]}"}


def test_published_plans_are_public_in_the_api_and_drafts_are_not(client, torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    listed = {p["id"] for p in client.get("/api/v1/records/plans").json()["items"]}
    assert torsby.plan.pk in listed and draft.pk not in listed
    assert client.get(f"/api/v1/records/plans/{draft.pk}").status_code == 404
    content = client.get(f"/api/v1/records/plans/{torsby.plan.pk}/content").json()
    assert content == json.loads(json.dumps(make_plan_data().to_dict()))
    own = {p["id"] for p in client.get("/api/v1/records/plans", **bearer(torsby.archivist)).json()["items"]}
    assert draft.pk in own


def test_api_cannot_change_an_adopted_plan(client, torsby):
    row = torsby.plan.document_types.first()
    response = client.patch(
        f"/api/v1/records/document-types/{row.pk}",
        data=json.dumps({"remarks": "Ändrad"}),
        content_type="application/json",
        **bearer(torsby.archivist),
    )
    assert response.status_code == 409 and response.json()["code"] == "plan_frozen"
    row.refresh_from_db()
    assert row.remarks == ""


def test_api_edit_adopt_and_diff_of_a_draft(client, torsby):
    headers = bearer(torsby.archivist)
    created = client.post(f"/api/v1/records/plans/{torsby.plan.pk}/new-version", **headers)
    assert created.status_code == 201
    draft_id = created.json()["id"]
    rows = client.get(f"/api/v1/records/plans/{draft_id}/document-types?action=unclear", **headers).json()["items"]
    assert [r["name"] for r in rows] == ["Avtal i samband med annonsering"]
    response = client.patch(
        f"/api/v1/records/document-types/{rows[0]['id']}",
        data=json.dumps(
            {
                "retention_text": "Gallras 2 år efter avslutat ärende",
                "action": "dispose",
                "period": "P2Y",
                "trigger": "case_closed",
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    adopt = client.post(
        f"/api/v1/records/plans/{draft_id}/adopt",
        data=json.dumps(
            {"adopted_by": "Kommunstyrelsen", "adopted_on": "2026-11-16", "paragraph": "§ 9", "version": "2.0"}
        ),
        content_type="application/json",
        **headers,
    )
    assert adopt.status_code == 200 and adopt.json()["status"] == "adopted"
    diff = client.get(f"/api/v1/records/plans/{torsby.plan.pk}/diff/{draft_id}").json()
    assert diff["added"] == [] and diff["removed"] == []
    assert diff["changed"][0]["changes"]["retention.period"] == [None, "P2Y"]


def test_api_import_is_idempotent_and_scoped(client, torsby, pitea):
    payload = {"organisation_id": pitea.board.pk, "plan": make_plan_data(version="3.0").to_dict()}
    first = client.post(
        "/api/v1/records/plans/import",
        data=json.dumps(payload),
        content_type="application/json",
        **bearer(pitea.archivist),
    )
    assert first.status_code == 201 and first.json()["counts"]["document_types"] == 4
    again = client.post(
        "/api/v1/records/plans/import",
        data=json.dumps(payload),
        content_type="application/json",
        **bearer(pitea.archivist),
    )
    assert again.status_code == 200 and again.json()["unchanged"] is True
    payload["organisation_id"] = torsby.board.pk
    foreign = client.post(
        "/api/v1/records/plans/import",
        data=json.dumps(payload),
        content_type="application/json",
        **bearer(pitea.archivist),
    )
    assert foreign.status_code == 404
    broken = {"organisation_id": pitea.board.pk, "plan": {"areas": []}}
    assert (
        client.post(
            "/api/v1/records/plans/import",
            data=json.dumps(broken),
            content_type="application/json",
            **bearer(pitea.archivist),
        ).status_code
        == 400
    )


def test_cli_parse_retention_prints_one_json_object(db, capsys):
    call_command("records", "parse-retention", "Gallras efter 2 år")
    reading = json.loads(capsys.readouterr().out)
    spans = reading.pop("spans")
    assert reading == {
        "action": "dispose",
        "period": "P2Y",
        "trigger": "created",
        "trigger_event": None,
        "align": "none",
        "sampling": None,
    }
    assert spans and all("Gallras efter 2 år"[s["start"] : s["end"]] == s["text"] for s in spans)
    call_command("records", "parse-retention", "BE10", "--lang", "pl")
    assert json.loads(capsys.readouterr().out)["action"] == "review"


def test_cli_cannot_adopt_or_change_an_adopted_plan(torsby):
    with pytest.raises(CommandError, match="plan_frozen"):
        call_command(
            "records",
            "adopt",
            str(torsby.plan.pk),
            "--adopted-by",
            "KS",
            "--adopted-on",
            "2026-01-01",
            "--version",
            "9",
            "--user",
            torsby.archivist.username,
        )


def test_cli_export_json_and_diff(torsby, tmp_path):
    out = tmp_path / "plan.json"
    call_command("records", "export", str(torsby.plan.pk), "--format", "json", "-o", str(out), stderr=StringIO())
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "Dokumenthanteringsplan"
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    buffer = StringIO()
    call_command(
        "records", "diff", str(torsby.plan.pk), str(draft.pk), "--user", torsby.archivist.username, stdout=buffer
    )
    diff = json.loads(buffer.getvalue())
    assert diff["added"] == [] and diff["changed"] == [] and diff["plan_changes"]["version"] == ["1.0", ""]


def test_cli_import_json_file_dry_run_then_real(pitea, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(make_plan_data().to_dict(), ensure_ascii=False), encoding="utf-8")
    buffer = StringIO()
    organ = ["--organisation", "Piteå kommun/Kommunstyrelsen", "--user", pitea.archivist.username]
    call_command("records", "import", str(path), *organ, "--dry-run", stdout=buffer)
    assert json.loads(buffer.getvalue())["counts"]["document_types"] == 4
    assert not RetentionPlan.objects.filter(organisation=pitea.board).exists()
    call_command("records", "import", str(path), *organ, stdout=StringIO())
    assert RetentionPlan.objects.get(organisation=pitea.board).status == PlanStatus.ADOPTED


def test_cli_ambiguous_organisation_is_a_clear_error(torsby, pitea, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="ambiguous"):
        call_command("records", "import", str(path), "--organisation", "Kommunstyrelsen", "--user", "system")


def test_admin_cannot_edit_adopted_row_and_plan_page_renders(client, torsby):
    client.force_login(torsby.archivist)
    row = torsby.plan.document_types.first()
    page = client.get(f"/admin/records/plan/{torsby.plan.pk}/")
    assert page.status_code == 200 and row.name in page.text
    response = client.post(
        f"/admin/records/document-types/edit/{row.pk}/",
        {"name": row.name, "retention_text": "Gallras", "action": "dispose", "trigger": "none", "align": "none"},
    )
    assert response.status_code == 200
    assert "adopted" in str(response.context["form"].non_field_errors()) or response.context["form"].errors
    row.refresh_from_db()
    assert row.retention_text == "Bevaras"


def test_admin_other_municipality_sees_no_draft(client, torsby, pitea):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    client.force_login(pitea.archivist)
    assert client.get(f"/admin/records/plan/{draft.pk}/").status_code == 404
    assert client.get(f"/admin/records/plan/{torsby.plan.pk}/").status_code == 404


def test_admin_import_preview_then_confirm(client, pitea, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(pitea.archivist)
    upload = SimpleUploadedFile(
        "plan.json", json.dumps(make_plan_data().to_dict(), ensure_ascii=False).encode(), "application/json"
    )
    preview = client.post(
        "/admin/records/import/", {"file": upload, "organisation": pitea.board.pk, "format": "auto", "lang": "sv"}
    )
    assert preview.status_code == 200 and preview.context["preview"]["result"].counts["document_types"] == 4
    assert not RetentionPlan.objects.exists()
    confirm = client.post("/admin/records/import/", {"token": preview.context["preview"]["token"]})
    assert confirm.status_code == 302
    assert DocumentType.objects.filter(plan__organisation=pitea.board).count() == 4


def test_public_pages_show_published_plans_and_search(client, torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    index = client.get("/plans/")
    assert index.status_code == 200 and "Torsby kommun" in index.text
    assert client.get(f"/plans/{torsby.plan.pk}/").status_code == 200
    assert client.get(f"/plans/{draft.pk}/").status_code == 404
    found = client.get("/plans/sok/", {"q": "tjanstemans"})
    assert "Handlingsplan för sociala medier" in found.text
    assert "Annonser i dagspress" in found.text  # also kept in "Tjänstemans rum"
    assert "Riktlinjer för användning" not in found.text
